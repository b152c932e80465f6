"""Plays an ipywidgets 8 front end on a real lesson: runs lesson 5's code cells in our kernel (from notebooks/, as a
learner would) up to its knob cell, then drags the η slider as a front end does when a drag ends, and records the
redrawn figure in the Output widget.

Usage: lesson_widget_session.py KERNEL_NAME LIBRARY_DLL (the library argument is unused: the lesson loads its own).
Prints one JSON object.
"""
import json
import os
import sys

import widget_front_end as front_end

from jupyter_client.manager import KernelManager

name = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
notebooks = os.path.normpath(os.path.join(here, "..", "..", "..", "notebooks"))
lesson = json.load(open(os.path.join(notebooks, "05-learning-rate.ipynb"), encoding="utf-8"))
km = KernelManager(kernel_name=name)
km.start_kernel(cwd=notebooks)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
result = {}


def drain(parent_id):
    return front_end.drain(kc, parent_id)


try:
    errors = []
    for cell in [c for c in lesson["cells"] if c["cell_type"] == "code"]:
        source = "".join(cell["source"])
        msgs = drain(kc.execute(source))
        errors += [m["content"]["evalue"] for m in msgs if m["msg_type"] == "error"]
        if cell["id"] == "knob":
            break
    result["errors"] = errors
    opens = [m["content"] for m in msgs if m["msg_type"] == "comm_open"]
    result["models"] = sorted({(c["data"]["state"]["_model_module"] + "/" + c["data"]["state"]["_model_name"]
                                + "@" + c["data"]["state"]["_model_module_version"]) for c in opens})
    slider = next(c for c in opens if c["data"]["state"]["_model_name"] == "FloatLogSliderModel")
    result["slider"] = {k: slider["data"]["state"][k] for k in ("value", "min", "max", "description")}
    output = next(c for c in opens if c["data"]["state"]["_model_name"] == "OutputModel")
    first = [m["content"] for m in msgs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == output["comm_id"]]
    fig = front_end.figure_in(first[-1]["data"]["state"]["outputs"]) if first else None
    result["first_trace"] = fig["data"][0]["name"] if fig else None
    result["first_y"] = fig["data"][0]["y"] if fig else None

    update = front_end.send_shell(kc, "comm_msg", {"comm_id": slider["comm_id"], "data": {
        "method": "update", "state": {"value": 0.01}, "buffer_paths": []}})
    redrawn = front_end.redraws(kc, [update], output["comm_id"], quiet=2)
    fig = front_end.figure_in(redrawn[-1]["data"]["state"]["outputs"]) if redrawn else None
    result["redrawn_trace"] = fig["data"][0]["name"] if fig else None
    result["redrawn_y"] = fig["data"][0]["y"] if fig else None
    result["ok"] = True
except Exception as e:
    result["ok"] = False
    result["error"] = f"{type(e).__name__}: {e}"
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    print(json.dumps(result))
