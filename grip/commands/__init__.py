"""Command groups of ``grip``; each module has ``register(subparsers)``."""
