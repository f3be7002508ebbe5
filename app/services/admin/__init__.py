"""The admin's verbs: areas, enterprises (one at a time and in bulk), users, categories and criteria.

Each takes the actor (None for an operator's command line), flushes, never commits, and writes one AdminChange
row per change (app.services.admin.audit) in the same transaction as the change.
"""
