"""Services of the events app, one module per area: programme, registration, assignment, onsite."""
