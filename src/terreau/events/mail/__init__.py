"""The events' e-mails: to registrants (`registration`: confirmation with the personal programme
and an .ics file, notices, segment mailings) and their workshops (`assignment`)."""
