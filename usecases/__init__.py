"""What the service does, per area: documents, events, people, sources, subscriptions and
corrections, as plain functions over a session (and a task sender where they send work).

Routes, the dashboard and the workers' jobs all call these, so each action is written once;
they return schemas or typed values and raise `usecases.errors.AppError` subclasses for 4xx.
"""
