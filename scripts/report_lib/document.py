"""One list of blocks rendered twice: Markdown (report.md) and self-contained HTML (report.html)."""
import html


class Document:
    def __init__(self, title):
        self.title = title
        self.blocks = []

    def heading(self, level, text):
        self.blocks.append(("h", level, text))

    def para(self, text):
        self.blocks.append(("p", text))

    def bullets(self, items):
        self.blocks.append(("ul", list(items)))

    def figure(self, path, caption):
        if path:
            self.blocks.append(("img", path, caption))

    def table(self, header, rows):
        self.blocks.append(("table", header, [[str(c) for c in r] for r in rows]))

    def markdown(self):
        out = [f"# {self.title}", ""]
        for b in self.blocks:
            if b[0] == "h":
                out += ["#" * (b[1] + 1) + " " + b[2], ""]
            elif b[0] == "p":
                out += [b[1], ""]
            elif b[0] == "ul":
                out += [f"- {item}" for item in b[1]] + [""]
            elif b[0] == "img":
                svg = b[1][:-4] + ".svg"
                out += [f"![{b[2]}]({b[1]})", "", f"*{b[2]}* ([SVG]({svg}))", ""]
            elif b[0] == "table":
                esc = [[c.replace("|", "\\|") for c in r] for r in [b[1]] + b[2]]
                out.append("| " + " | ".join(esc[0]) + " |")
                out.append("|" + "|".join("---" for _ in esc[0]) + "|")
                out += ["| " + " | ".join(r) + " |" for r in esc[1:]]
                out.append("")
        return "\n".join(out)

    def html(self):
        e = html.escape
        out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>", f"<title>{e(self.title)}</title>",
               "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
               "table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:3px 8px}"
               "th{background:#f0f0f0}td{text-align:right}img{max-width:100%}figure{margin:1.5em 0}"
               "figcaption{font-style:italic;color:#444}</style></head><body>", f"<h1>{e(self.title)}</h1>"]
        for b in self.blocks:
            if b[0] == "h":
                out.append(f"<h{b[1] + 1}>{e(b[2])}</h{b[1] + 1}>")
            elif b[0] == "p":
                out.append(f"<p>{e(b[1])}</p>")
            elif b[0] == "ul":
                out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b[1]) + "</ul>")
            elif b[0] == "img":
                svg = b[1][:-4] + ".svg"
                out.append(f"<figure><img src='{e(svg)}' alt='{e(b[2])}'><figcaption>{e(b[2])} "
                           f"(<a href='{e(b[1])}'>PNG</a>)</figcaption></figure>")
            elif b[0] == "table":
                out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in b[1]) + "</tr>")
                out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in b[2]]
                out.append("</table>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"
