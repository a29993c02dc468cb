"""The events' printed documents, drawn with WeasyPrint: the shared renderer and the PDF
response (`pdf`), the printable programme (`programme`), and the staff's documents of the day —
badges, sign-in sheets, prepared documents drawn in the background (`onsite`). Templates and
stylesheets live in `templates/events/pdf/`."""
