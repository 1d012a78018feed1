# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the D-Bus API reference (Markdown) from introspection XML.

    dbus-doc.py OUTPUT.md INTERFACE.xml...

Each member's documentation is the gtk-doc style comment before it in the
XML (the form gdbus-codegen reads): a "Name:" line, "@arg: text" lines,
then free text.
"""

import re
import sys
import textwrap
import xml.etree.ElementTree as ET


def parse_comment(text):
    lines = textwrap.dedent(text).strip('\n').splitlines()
    name, args, body = None, {}, []
    if lines and re.match(r'^\s*[\w.:-]+:\s*$', lines[0]):
        name = lines.pop(0).strip().rstrip(':')
    current = None
    for line in lines:
        m = re.match(r'^\s*@(\w+):\s*(.*)$', line)
        if m and not body:
            current = m.group(1)
            args[current] = m.group(2)
        elif current and line.strip() and not body and line.startswith((' ', '\t')):
            args[current] += ' ' + line.strip()
        else:
            current = None
            body.append(line)
    return name, args, '\n'.join(body).strip()


def links(text):
    # gtk-doc references (#iface.Name, #iface::Signal, #iface:Prop) as code
    return re.sub(r'#([\w.]+(?:::?[\w-]+)?)', r'`\1`', text)


def signature(elem, direction_default='in'):
    parts = []
    for arg in elem.findall('arg'):
        d = arg.get('direction', direction_default)
        parts.append('%s%s %s' % ('' if d == 'in' else 'out ', arg.get('type'), arg.get('name')))
    return ', '.join(parts)


def document(path, out):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(path, parser).getroot()
    pending = None

    def take():
        nonlocal pending
        doc, pending = pending, None
        return doc or (None, {}, '')

    def walk(elem, level):
        nonlocal pending
        for child in elem:
            if child.tag is ET.Comment:
                if 'SPDX' not in child.text:
                    pending = parse_comment(child.text)
                continue
            if child.tag == 'interface':
                _, _, body = take()
                out.write('\n## Interface `%s`\n\n%s\n' % (child.get('name'), links(body)))
                walk(child, level + 1)
            elif child.tag in ('method', 'signal'):
                _, args, body = take()
                kind = 'Method' if child.tag == 'method' else 'Signal'
                out.write('\n### %s `%s(%s)`\n\n' % (kind, child.get('name'), signature(child)))
                for arg in child.findall('arg'):
                    if arg.get('name') in args:
                        out.write('- `%s`: %s\n' % (arg.get('name'), links(args[arg.get('name')])))
                out.write('\n%s\n' % links(body))
            elif child.tag == 'property':
                _, _, body = take()
                out.write('\n### Property `%s` (`%s`, %s)\n\n%s\n' % (
                    child.get('name'), child.get('type'), child.get('access'), links(body)))
            else:
                walk(child, level)

    walk(root, 0)


def main():
    output, inputs = sys.argv[1], sys.argv[2:]
    with open(output, 'w') as out:
        out.write('# netagentd D-Bus API reference\n\n'
                  'Generated from the introspection XML installed in '
                  '`share/dbus-1/interfaces`. The contract, with the\n'
                  'reasons behind it, is `dbus-api.md`.\n')
        for path in inputs:
            document(path, out)


if __name__ == '__main__':
    main()
