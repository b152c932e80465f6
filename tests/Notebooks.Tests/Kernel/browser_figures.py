"""Classic Notebook 6 in headless Chromium, driven by Selenium, against our kernel.

Usage: browser_figures.py NOTEBOOK_DIR NOTEBOOK_NAME SCREENSHOT_PNG
Environment: JUPYTER_PATH etc. point at a temporary kernelspec (the test sets them).

Opens the notebook, runs all cells, restarts the kernel, runs the cells up to the first figure
cell and then that figure cell once more (so the output that carried plotly.js is replaced by one
that does not, and the new session's figure ids restart), saves, reopens the page, and counts the
drawn figures per cell. Prints one JSON object with what it saw; the C# test asserts on it.
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

folder, name, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
TIMEOUT = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port, token = free_port(), "fromscratch-test-token"
log = open(os.path.join(folder, "server.log"), "w")
server = subprocess.Popen(
    ["jupyter-notebook", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--NotebookApp.token={token}",
     f"--notebook-dir={folder}", "--NotebookApp.open_browser=False"] + (["--allow-root"] if os.geteuid() == 0 else []),
    stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
driver = None
result = {"steps": []}


def wait(condition, what, timeout=TIMEOUT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            value = driver.execute_script(condition)
            if value:
                return value
        except Exception:  # the page may be reloading
            pass
        time.sleep(0.25)
    raise TimeoutError(f"timed out waiting for {what}")


KERNEL_IDLE = """return window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
    && Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel_busy === false
    && !document.querySelector('#kernel_indicator_icon.kernel_busy_icon');"""
ALL_RAN = """var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
    return cells.every(function (c) { return c.input_prompt_number !== '*'; })
        && typeof cells[0].input_prompt_number === 'number'
        && !document.querySelector('#kernel_indicator_icon.kernel_busy_icon');"""
FIGURES = """var cells = Jupyter.notebook.get_cells(), per = [];
    for (var i = 0; i < cells.length; i++) {
        var c = cells[i];
        if (c.cell_type !== 'code') continue;
        var figures = c.output_area.outputs.filter(function (o) {
            return o.data && o.data['application/vnd.plotly.v1+json']; }).length;
        var drawn = c.element[0].querySelectorAll('.js-plotly-plot').length;
        var errors = c.output_area.outputs.filter(function (o) { return o.output_type === 'error'; })
            .map(function (o) { return o.ename + ': ' + o.evalue; });
        if (figures || drawn || errors.length) per.push({cell: i, figures: figures, drawn: drawn, errors: errors});
    }
    return {per: per, total: document.querySelectorAll('.js-plotly-plot').length,
            ids: Array.prototype.map.call(document.querySelectorAll('.fromscratch-figure'), function (d) { return d.id; })};"""


def figures():
    return driver.execute_script(FIGURES)


def settle(expected_drawn=None, timeout=60):
    """Waits until every figure output is drawn (or the timeout), then returns the count."""
    deadline = time.time() + timeout
    seen = figures()
    while time.time() < deadline:
        seen = figures()
        if all(p["drawn"] >= p["figures"] for p in seen["per"]) and seen["total"] > 0:
            break
        time.sleep(0.5)
    return seen


try:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api?token={token}", timeout=1)
            break
        except Exception:
            time.sleep(0.25)
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,3000", "--disable-dev-shm-usage"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    url = f"http://127.0.0.1:{port}/notebooks/{name}?token={token}"
    driver.get(url)
    wait(KERNEL_IDLE, "the kernel to start")

    driver.execute_script("Jupyter.notebook.execute_all_cells();")
    time.sleep(1)
    wait(ALL_RAN, "run all")
    result["after_run_all"] = settle()

    driver.execute_script("Jupyter.notebook.kernel.restart();")
    time.sleep(2)
    wait(KERNEL_IDLE, "the restarted kernel")
    per = result["after_run_all"]["per"]
    first = min(p["cell"] for p in per if p["figures"] > 0)
    result["rerun_cell"] = first
    # The new session needs the cells above; then the figure cell once more (its carrier output replaced).
    driver.execute_script(f"Jupyter.notebook.execute_cells(Array.from({{length: {first + 1}}}, function (_, i) {{ return i; }}));")
    time.sleep(1)
    wait(f"var c = Jupyter.notebook.get_cell({first}); return typeof c.input_prompt_number === 'number'"
         " && !document.querySelector('#kernel_indicator_icon.kernel_busy_icon');", "the cells up to the figure")
    driver.execute_script(f"Jupyter.notebook.execute_cells([{first}]);")
    time.sleep(1)
    wait(KERNEL_IDLE, "the re-run figure cell")
    result["after_rerun"] = settle()

    driver.execute_script("window.fromScratchSaved = false; Jupyter.notebook.events.one('notebook_saved.Notebook',"
                          " function () { window.fromScratchSaved = true; }); Jupyter.notebook.save_notebook();")
    wait("return window.fromScratchSaved === true;", "the save")
    time.sleep(1)
    path = os.path.join(folder, name)
    result["saved_bytes"] = os.path.getsize(path)
    with open(path) as f:
        saved = json.load(f)
    carriers = sum(1 for c in saved["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
                   if "text/html" in o.get("data", {}) and "(function (define, module, exports)" in "".join(o["data"]["text/html"]))
    result["saved_carriers"] = carriers

    driver.get(url)
    wait("return window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded;", "the reopened notebook")
    result["after_reopen"] = settle()
    driver.save_screenshot(screenshot)
    result["ok"] = True
except Exception as e:  # reported to the test, which fails with it
    result["ok"] = False
    result["error"] = f"{type(e).__name__}: {e}"
    if driver is not None:
        try:
            driver.save_screenshot(screenshot)
        except Exception:
            pass
finally:
    if driver is not None:
        driver.quit()
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    print(json.dumps(result))
