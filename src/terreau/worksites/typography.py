"""French typography for HTML text: non-breaking spaces before « ; : ! ? » and inside
guillemets, applied to text nodes only (tags, entities, code and preformatted text are left
alone). Pure module: no Django import."""

import re

NBSP = "\u00a0"  # espace insécable (before the colon, inside guillemets)
NNBSP = "\u202f"  # espace fine insécable (before ; ! ?)

_TOKENS = re.compile(r"(<[^>]*>|&#?\w+;)")
_VERBATIM = {"code", "pre", "script", "style"}
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")

# An ordinary space (or none) before ; ! ? — the latter only after a letter, a closing
# guillemet or bracket, so "?!" and URLs' "?q=" stay as they are.
_BEFORE_TIGHT = re.compile(r"(?:[ \t]+|(?<=[\w»)\]]))([;!?]+)(?=\s|$|[»)\].,;:!?<])")
_BEFORE_COLON = re.compile(r"(?:[ \t]+|(?<=[^\W\d_]|[»)\]]))(:)(?=\s|$)")
_OPEN_QUOTE = re.compile(r"«[ \t]*")
_CLOSE_QUOTE = re.compile(r"[ \t]*»")


def french_text(text: str) -> str:
    """Apply the French spacing rules to a piece of plain text."""
    text = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(lambda m: NBSP + m.group(1), text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    return text


def french_html(html: str) -> str:
    """Apply `french_text` to the text nodes of an HTML fragment."""
    out: list[str] = []
    verbatim = 0
    for token in _TOKENS.split(html):
        if not token:
            continue
        if token.startswith("<"):
            match = _TAG_NAME.match(token)
            if match and match.group(2).lower() in _VERBATIM and not token.endswith("/>"):
                verbatim += -1 if match.group(1) else 1
                verbatim = max(verbatim, 0)
            out.append(token)
        elif token.startswith("&") and token.endswith(";"):
            out.append(token)
        else:
            out.append(token if verbatim else french_text(token))
    return "".join(out)
