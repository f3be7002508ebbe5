"""The rules of Closeloop, free of Flask, SQLAlchemy and HTTP: everything else asks them."""
