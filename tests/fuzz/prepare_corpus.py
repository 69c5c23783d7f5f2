#!/usr/bin/python3
"""Seeds and dictionaries for the fuzz targets, made from the shipped scenarios at run time.

    prepare_corpus.py SOURCE_DIR WORK_DIR

writes WORK_DIR/seeds/scenario/ (a copy of every scenarios/**/*.yaml), WORK_DIR/seeds/override/ (per
shipped file, its leaf values as `path=value` lines, at most 16 a file, the override target's input
format), and WORK_DIR/scenario.dict and WORK_DIR/override.dict (libFuzzer -dict files: the keys,
dotted paths and word values the shipped files use, and YAML syntax). Standard library only: the
files are read line by line (block maps and lists by indentation; a flow value is kept as written,
which is valid YAML for an override), which is all a dictionary needs.
"""
import pathlib
import re
import sys

KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?: +(?P<value>.*))?$")
WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.+-]*$")
MAX_OVERRIDES = 16  # tests/fuzz/fuzz_override.cpp reads at most this many lines

YAML_TOKENS = [": ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "<<: ", "---", "...", "!!str ", "!!int ",
               "!!map", "? ", "|", ">", "'", '"', "~", "null", "true", "false", "yes", "off", ".inf", "-.inf",
               ".nan", "0x1p-1074", "1e308", "-1e308", "4.9e-324", "2147483648", "-2147483649", "1e-300",
               "18446744073709551616", "0", "-0", "-1", "%YAML 1.2", "#", "\t"]


def strip_comment(text):
    """The value without a trailing `# comment` (a '#' after a space, outside quotes)."""
    quote = None
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def leaves(lines):
    """(dotted path, value text) for every `key: value` line; list items are selected by index."""
    stack = []  # (indent of the keys at this level, path prefix)
    items = {}  # path of a list -> index of its current item
    out = []
    for raw in lines:
        m = KEY_LINE.match(raw.rstrip("\n"))
        if not m:
            continue
        indent = len(m["indent"])
        if m["dash"]:
            while stack and stack[-1][0] >= indent + 1:
                stack.pop()
            parent = stack[-1][1] if stack else ""
            items[parent] = items.get(parent, -1) + 1
            indent += len(m["dash"])
            stack.append((indent, f"{parent}[{items[parent]}]"))
        else:
            while stack and stack[-1][0] > indent:
                stack.pop()
            if stack and stack[-1][0] == indent and not stack[-1][1].endswith("]"):
                stack.pop()
        prefix = stack[-1][1] if stack and stack[-1][0] <= indent else ""
        path = f"{prefix}.{m['key']}" if prefix and not prefix.endswith(".") else prefix + m["key"]
        value = strip_comment(m["value"] or "")
        if value:
            out.append((path, value))
        else:
            stack.append((indent + 1, path))  # its children are indented further
    return out


def dict_line(text):
    escaped = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else f"\\x{ord(c):02x}" for c in text)
    return f'"{escaped}"\n'


def main(source_dir, work_dir):
    source, work = pathlib.Path(source_dir), pathlib.Path(work_dir)
    files = sorted((source / "scenarios").rglob("*.yaml"))
    seeds_scenario, seeds_override = work / "seeds" / "scenario", work / "seeds" / "override"
    seeds_scenario.mkdir(parents=True, exist_ok=True)
    seeds_override.mkdir(parents=True, exist_ok=True)
    keys, paths, words = set(), set(), set()
    for f in files:
        text = f.read_text()
        name = str(f.relative_to(source / "scenarios")).replace("/", "_")
        (seeds_scenario / name).write_text(text)
        found = leaves(text.splitlines())
        lines = []
        for path, value in found:
            keys.add(path.rsplit(".", 1)[-1].split("[")[0])
            paths.add(re.sub(r"\[\d+\]", "", path))
            if WORD.match(value):
                words.add(value)
            lines.append(f"{path}={value}")
        for k in range(0, len(lines), MAX_OVERRIDES):
            chunk = "\n".join(lines[k:k + MAX_OVERRIDES]) + "\n"
            (seeds_override / f"{name}.{k // MAX_OVERRIDES}.txt").write_text(chunk)
    with open(work / "scenario.dict", "w") as out:
        for token in sorted(keys):
            out.write(dict_line(token + ": "))
        for token in sorted(words) + YAML_TOKENS:
            out.write(dict_line(token))
    with open(work / "override.dict", "w") as out:
        for token in sorted(paths):
            out.write(dict_line(token + "="))
        for token in sorted(keys | words) + YAML_TOKENS + ["=", ".", "[0]", "[-1]", "[]", "\n", "regimen[cart]",
                                                           "therapies[ide-cel]", "cohort=", "sweep=", "arms="]:
            out.write(dict_line(token))
    print(f"prepare_corpus: {len(files)} shipped scenarios, {len(keys)} keys, {len(paths)} paths, "
          f"{len(words)} words")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
