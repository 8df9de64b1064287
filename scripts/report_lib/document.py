"""One list of blocks rendered twice: Markdown (report.md) and self-contained HTML (report.html), with
a table of contents, numbered figures and tables exported as CSV and LaTeX (booktabs)."""
import csv
import html
import io
import os

from report_lib import safe_write

_LATEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "×": r"$\times$", "µ": r"$\mu$", "²": r"$^2$", "–": "--", "ε": r"$\varepsilon$"}


def latex_escape(text):
    return "".join(_LATEX_ESCAPES.get(c, c) for c in str(text))


def _numeric(cell):
    return cell.replace(",", "").replace(".", "", 1).lstrip("-").isdigit()


def write_table_files(out_dir, name, header, rows, caption):
    """tables/NAME.csv and tables/NAME.tex (booktabs, numbers right-aligned); returns both paths
    relative to out_dir."""
    tdir = os.path.join(out_dir, "tables")
    os.makedirs(tdir, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    safe_write.write_text(os.path.join(tdir, name + ".csv"), buf.getvalue())
    align = "".join("r" if rows and all(_numeric(str(r[i])) or r[i] == "–" for r in rows) else "l"
                    for i in range(len(header)))
    lines = ["% written by accsim report; needs \\usepackage{booktabs}", "\\begin{table}[t]", "\\centering",
             f"\\caption{{{latex_escape(caption)}}}", f"\\label{{tab:{name}}}", f"\\begin{{tabular}}{{{align}}}",
             "\\toprule", " & ".join(latex_escape(h) for h in header) + " \\\\", "\\midrule"]
    lines += [" & ".join(latex_escape(c) for c in r) + " \\\\" for r in rows]
    lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}", ""]
    safe_write.write_text(os.path.join(tdir, name + ".tex"), "\n".join(lines))
    return [f"tables/{name}.csv", f"tables/{name}.tex"]


class Document:
    def __init__(self, title):
        self.title = title
        self.blocks = []
        self.sections = []  # (level, text, anchor)
        self.figures = 0
        self.tables = 0

    def heading(self, level, text):
        anchor = f"sec-{len(self.sections) + 1}"
        self.sections.append((level, text, anchor))
        self.blocks.append(("h", level, text, anchor))

    def para(self, text):
        self.blocks.append(("p", text))

    def bullets(self, items):
        """Items are strings or lists of parts, a part being a string or a (text, link) pair."""
        self.blocks.append(("ul", [i if isinstance(i, list) else [i] for i in items]))

    def figure(self, path, caption):
        if path:
            self.figures += 1
            self.blocks.append(("img", path, f"Figure {self.figures}. {caption}", self.figures))

    def table(self, header, rows, caption=None, files=()):
        self.tables += 1 if caption else 0
        cap = f"Table {self.tables}. {caption}" if caption else None
        self.blocks.append(("table", header, [[str(c) for c in r] for r in rows], cap, list(files)))

    @staticmethod
    def _md_parts(parts):
        return "".join(p if isinstance(p, str) else f"[{p[0]}]({p[1]})" for p in parts)

    def markdown(self):
        out = [f"# {self.title}", "", "Contents:", ""]
        out += ["  " * (lvl - 1) + f"- [{text}](#{a})" for lvl, text, a in self.sections] + [""]
        for b in self.blocks:
            if b[0] == "h":
                out += [f'<a id="{b[3]}"></a>', "", "#" * (b[1] + 1) + " " + b[2], ""]
            elif b[0] == "p":
                out += [b[1], ""]
            elif b[0] == "ul":
                out += [f"- {self._md_parts(item)}" for item in b[1]] + [""]
            elif b[0] == "img":
                svg = b[1][:-4] + ".svg"
                out += [f"![Figure {b[3]}]({b[1]})", "", f"*{b[2]}* ([SVG]({svg}))", ""]
            elif b[0] == "table":
                if b[3]:
                    out += [f"*{b[3]}*" + "".join(f" ([{os.path.splitext(f)[1][1:].upper()}]({f}))" for f in b[4]), ""]
                esc = [[c.replace("|", "\\|") for c in r] for r in [b[1]] + b[2]]
                out.append("| " + " | ".join(esc[0]) + " |")
                out.append("|" + "|".join("---" for _ in esc[0]) + "|")
                out += ["| " + " | ".join(r) + " |" for r in esc[1:]]
                out.append("")
        return "\n".join(out)

    def html(self):
        e = html.escape

        def parts(ps):
            return "".join(e(p) if isinstance(p, str) else f"<a href='{e(p[1])}'>{e(p[0])}</a>" for p in ps)

        out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>", f"<title>{e(self.title)}</title>",
               "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
               "table{border-collapse:collapse;font-size:0.9em}td,th{border:1px solid #ccc;padding:3px 8px}"
               "th{background:#f0f0f0}td{text-align:right}img{max-width:100%}figure{margin:1.5em 0}"
               "figcaption,.caption{font-style:italic;color:#444}nav{background:#f7f7f7;padding:0.5em 1em}"
               "</style></head><body>", f"<h1>{e(self.title)}</h1>", "<nav><strong>Contents</strong><ul>"]
        out += [f"<li style='margin-left:{lvl - 1}em'><a href='#{a}'>{e(t)}</a></li>" for lvl, t, a in self.sections]
        out.append("</ul></nav>")
        for b in self.blocks:
            if b[0] == "h":
                out.append(f"<h{b[1] + 1} id='{b[3]}'>{e(b[2])}</h{b[1] + 1}>")
            elif b[0] == "p":
                out.append(f"<p>{e(b[1])}</p>")
            elif b[0] == "ul":
                out.append("<ul>" + "".join(f"<li>{parts(i)}</li>" for i in b[1]) + "</ul>")
            elif b[0] == "img":
                svg = b[1][:-4] + ".svg"
                out.append(f"<figure id='fig-{b[3]}'><img src='{e(svg)}' alt='Figure {b[3]}'><figcaption>{e(b[2])} "
                           f"(<a href='{e(b[1])}'>PNG</a>, <a href='{e(svg)}'>SVG</a>)</figcaption></figure>")
            elif b[0] == "table":
                if b[3]:
                    links = ", ".join(f"<a href='{e(f)}'>{os.path.splitext(f)[1][1:].upper()}</a>" for f in b[4])
                    out.append(f"<p class='caption'>{e(b[3])}" + (f" ({links})" if links else "") + "</p>")
                out.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in b[1]) + "</tr>")
                out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in b[2]]
                out.append("</table>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"
