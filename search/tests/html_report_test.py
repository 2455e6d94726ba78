#!/usr/bin/env python3
"""The HTML reports in a real browser (issue 14 item 4): `referee search report --format html`
of a small real search on kernels/cpu/vector_add (an honest and a cheating proposer), of a
fake-judge search whose proposer writes hostile HTML into its rationales and diffs, and
`referee eval --format html` of an honest CPU candidate. Each page is loaded in headless
Chromium (Debian's `chromium`, installed by scripts/setup.sh): the page's own status line must
say it rendered, every plot container must hold the plotting library's canvas, the expected
sections, tables and candidate anchors must be there, the console must show no error, and the
hostile text must come out as text. Screenshots are saved as CI artefacts.

usage: html_report_test.py REFEREE SOURCE_DIR ARTIFACT_DIR
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
HOSTILE = ("</script><script>document.title='pwned'</script>"
           "<img src=x onerror=\"document.title='pwned'\"> & <!-- \u2028")

SEED = """BLOCK = 256  # referee: tune BLOCK in [64, 128, 256, 512, 1024]
# referee: begin-editable
# fake: time=0.001*256/BLOCK
def run(x, y):
    return x + y
# referee: end-editable
"""

# Every other proposal is a reward hack; every rationale and diff carries HOSTILE.
HOSTILE_PROPOSER = r'''
import json, sys
r = json.load(sys.stdin)
hostile = %r
src = r["parent"]["files"]["seed.py"]
blocks = [64, 128, 512, 1024]
b = blocks[r["seq"] %% len(blocks)]
src = src.replace("BLOCK = %%s " %% src.split("BLOCK = ")[1].split(" ")[0], "BLOCK = %%d " %% b, 1)
src = src.replace("def run(x, y):", "# " + hostile.replace("\n", " ") + " %%d\ndef run(x, y):" %% r["seq"])
if r["seq"] %% 2 == 0:
    src = src.replace("def run(x, y):", "# fake: fail=thread-growth@1\ndef run(x, y):")
json.dump({"files": {"seed.py": src}, "rationale": hostile}, sys.stdout)
''' % HOSTILE

failures = 0


def expect(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


def must(cmd, what, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode not in kw.pop("ok_codes", (0,)):
        print("FAIL %s exited %d: %s" % (what, r.returncode, r.stderr[-2000:]))
        sys.exit(1)
    return r


class Dom(html.parser.HTMLParser):
    """What the test needs from Chromium's serialized DOM: plot containers and their canvases,
    headings, tables, ids, the body's attributes, and any element a hostile string could add."""

    def __init__(self):
        super().__init__()
        self.stack, self.plots, self.headings, self.ids = [], [], [], set()
        self.tables, self.imgs, self.scripts, self.body, self.title, self._text = 0, 0, 0, {}, "", None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "img", "meta", "input", "hr", "link"):
            self.imgs += tag == "img"
        else:
            self.stack.append((tag, a))
        if tag == "div" and "plot" in (a.get("class") or "").split():
            self.plots.append(0)
        if tag == "canvas" and any(t == "div" and "plot" in (x.get("class") or "").split()
                                   for t, x in self.stack[:-1]):
            self.plots[-1] += 1
        if "id" in a:
            self.ids.add(a["id"])
        self.tables += tag == "table"
        self.scripts += tag == "script"
        if tag == "body":
            self.body = a
        if tag in ("h2", "title"):
            self._text = tag

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        self._text = None

    def handle_data(self, data):
        if self._text == "h2":
            self.headings.append(data)
        elif self._text == "title":
            self.title += data


def load(chromium, page, shot, height):
    """Chromium's DOM after the page's scripts ran, its console errors, and a screenshot."""
    # A profile of its own: a second chromium on a shared one hands its work to the first.
    profile = tempfile.mkdtemp(prefix="referee-chromium-")
    flags = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
             "--window-size=1400,%d" % height]
    url = "file://" + os.path.abspath(page)
    r = subprocess.run(flags + ["--virtual-time-budget=5000", "--dump-dom", url],
                       capture_output=True, text=True, timeout=120)
    # The log does not tell console.error from console.log, and the pages log nothing: any
    # console line (an uncaught exception, a CSP refusal, a library warning) is a failure.
    errors = [l for l in r.stderr.splitlines() if ":CONSOLE" in l]
    s = subprocess.run(flags + ["--screenshot=" + shot, url], capture_output=True, text=True,
                       timeout=120)
    errors += [l for l in s.stderr.splitlines() if ":CONSOLE" in l]
    shutil.rmtree(profile, ignore_errors=True)
    dom = Dom()
    dom.feed(r.stdout)
    return r.stdout, dom, errors


def check_page(chromium, page, shot, name, height, sections, min_plots, ids=(), tables=2):
    t = time.time()
    text, dom, errors = load(chromium, page, shot, height)
    expect(dom.body.get("data-rendered") == "ok",
           "%s: the page says it rendered (%s)" % (name, dom.body.get("data-rendered")))
    expect(not errors, "%s: no console errors %s" % (name, errors[:3]))
    expect(len(dom.plots) >= min_plots and all(n >= 1 for n in dom.plots),
           "%s: %d plots, each with its canvas (%s)" % (name, len(dom.plots), dom.plots))
    expect(dom.body.get("data-plots") == str(len(dom.plots)),
           "%s: every plot drawn is in the DOM (%s)" % (name, dom.body.get("data-plots")))
    missing = [s for s in sections if s not in dom.headings]
    expect(not missing, "%s: sections present (missing %s)" % (name, missing))
    expect(dom.tables >= tables, "%s: %d tables" % (name, dom.tables))
    expect(all(i in dom.ids for i in ids), "%s: anchors %s" % (name, list(ids)))
    expect(os.path.getsize(shot) > 20000, "%s: screenshot %s (%.1f s)" % (name, shot, time.time() - t))
    return text, dom


def real_search(referee, src, root):
    journal = os.path.join(root, "real")
    demo = os.path.join(src, "search", "demo", "cpu")
    must([referee, "search", "init", "--dir", journal,
          "--task", os.path.join(src, "kernels", "cpu", "vector_add"),
          "--start", os.path.join(demo, "seed.py"),
          "--proposer", "honest=%s %s" % (PY, os.path.join(demo, "honest_proposer.py")),
          "--proposer", "cheat=%s %s" % (PY, os.path.join(demo, "cheating_proposer.py")),
          "--threads", "2", "--assign", "per-thread", "--merge-every", "0", "--migrate-every",
          "0", "--stagnation", "0", "--candidates", "2", "--rounds", "1", "--quick"], "init")
    must([referee, "search", "run", "--dir", journal], "search run")
    return journal


def hostile_search(referee, root):
    journal = os.path.join(root, "hostile")
    seed, task, prop = (os.path.join(root, n) for n in ("seed.py", "task", "hostile.py"))
    os.makedirs(task, exist_ok=True)
    for path, text in ((seed, SEED), (prop, HOSTILE_PROPOSER),
                       (os.path.join(task, "definition.json"), '{"name": "fake"}\n')):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)
    must([referee, "search", "init", "--dir", journal, "--task", task, "--start", seed,
          "--judge", "fake", "--proposer", "hostile=%s %s" % (PY, prop), "--threads", "2",
          "--candidates", "6", "--seed", "3"], "init (fake judge)")
    must([referee, "search", "run", "--dir", journal], "search run (fake judge)")
    return journal


def main():
    referee, src, artifacts = sys.argv[1:4]
    chromium = os.environ.get("REFEREE_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("FAIL: no chromium on PATH: scripts/setup.sh installs it (apt-get install chromium)")
        return 1
    os.makedirs(artifacts, exist_ok=True)
    root = tempfile.mkdtemp(prefix="referee-html-")
    os.chmod(root, 0o755)  # the sandboxed proposers run as another user
    sections = ["Incumbent progress", "Lineage", "Accept / reject timeline", "Rule hits",
                "Budget", "Decisions", "Incidents", "Candidates"]

    t = time.time()
    journal = real_search(referee, src, root)
    page = os.path.join(artifacts, "search_report.html")
    must([referee, "search", "report", "--dir", journal, "--format", "html", "-o", page], "report")
    print("real search and its report: %.1f s" % (time.time() - t))
    _, dom = check_page(chromium, page, os.path.join(artifacts, "search_report.png"), "search",
                        2600, sections, 9, ids=("c1", "c2", "c3"))

    t = time.time()
    journal = hostile_search(referee, root)
    page = os.path.join(root, "hostile.html")
    # `referee report` is the same page (HTML unless a format is given).
    must([referee, "report", "--dir", journal, "-o", page], "report")
    raw = open(page, encoding="utf-8").read()
    data = raw.split('<script type="application/json" id="referee-data">')[1].split("</script>")[0]
    expect(raw.count("</script>") == 3 and "<" not in data and
           json.loads(data)["candidates"][1]["rationale"] == HOSTILE,
           "hostile: the candidate's text is inert JSON that cannot close its element")
    text, dom = check_page(chromium, page, os.path.join(artifacts, "search_report_hostile.png"),
                           "hostile", 1600, sections, 5, ids=("c1", "c2", "c3"))
    expect("pwned" not in dom.title and dom.imgs == 0 and dom.scripts == 3,
           "hostile: no script ran and no element was injected (title %r, %d img, %d script)"
           % (dom.title, dom.imgs, dom.scripts))
    expect("&lt;/script&gt;&lt;script&gt;document.title" in text,
           "hostile: the rationale is shown as text")
    print("hostile search and its report: %.1f s" % (time.time() - t))

    t = time.time()
    page = os.path.join(artifacts, "eval_report.html")
    vector_add = os.path.join(src, "kernels", "cpu", "vector_add")
    must([referee, "eval", "--task", vector_add, "--candidate",
          os.path.join(vector_add, "candidates", "honest.py"), "--quick", "--format", "html",
          "-o", page], "eval")
    check_page(chromium, page, os.path.join(artifacts, "eval_report.png"), "eval", 1400,
               ["Workloads", "Timing samples", "Roofline position"], 3, tables=1)
    print("eval and its report: %.1f s" % (time.time() - t))
    subprocess.run(["rm", "-rf", root])
    print("html reports: %s" % ("PASS" if not failures else "%d FAILED" % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
