"""A small JSON Schema checker for the subset docs/report.schema.json uses:
type, properties, required, items, enum, minimum, pattern. (No third-party
package is available offline; the subset is enough and easy to read.)"""

import re

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def _is(value, t):
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[t])


def errors(value, schema, path="$"):
    """All violations, as 'path: what' strings."""
    out = []
    t = schema.get("type")
    if t and not _is(value, t):
        return [f"{path}: expected {t}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        out.append(f"{path}: {value} < {schema['minimum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if t == "object":
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{path}: missing '{key}'")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                out += errors(value[key], sub, f"{path}.{key}")
    if t == "array" and "items" in schema:
        for i, item in enumerate(value):
            out += errors(item, schema["items"], f"{path}[{i}]")
    return out
