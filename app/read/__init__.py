"""The read side: what the lists, registers and statistics show, read as plain rows (no ORM objects)."""
