"""Terreau: the open-source platform for participatory democracy networks."""
