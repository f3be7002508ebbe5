"""The verbs of Closeloop. Each takes the actor, uses the session, flushes, and never commits."""
