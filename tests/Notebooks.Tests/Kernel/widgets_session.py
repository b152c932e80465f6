"""Plays an ipywidgets 8 front end against our kernel through Debian's jupyter_client.

Usage: widgets_session.py KERNEL_NAME LIBRARY_DLL
Runs a Knob.Show cell, records the comm_open messages (model names and versions), sends a comm_msg update of the
slider's value as a front end does when a drag ends (three of them at once, like a fast drag), and records the
Output's redrawn figure; asks comm_info and the control comm's request_states. Prints one JSON object.
"""
import json
import sys

import widget_front_end as front_end

from jupyter_client.manager import KernelManager

name, library = sys.argv[1], sys.argv[2]
km = KernelManager(kernel_name=name)
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
result = {}

CELL = f'''#r "{library}"
using FromScratch;
int draws = 0;
var η = Knob.LogSlider("η", 0.0001, 1, value: 0.1);
var n = Knob.IntSlider("epochs", 1, 50, value: 10);
Knob.Show(() => {{ draws++; return Plot.Lines([0.0, 1], [("line", [0.0, η.Value * n.Value])], $"η = {{η.Value}}", "x", "y"); }}, η, n)'''


def drain(parent_id):
    return front_end.drain(kc, parent_id, timeout=60)


def send_shell(msg_type, content):
    return front_end.send_shell(kc, msg_type, content)


figure_in = front_end.figure_in


try:
    msg_id = kc.execute(CELL)
    msgs = drain(msg_id)
    opens = [m["content"] for m in msgs if m["msg_type"] == "comm_open"]
    result["comm_open"] = [{"target": c["target_name"], "model": c["data"]["state"]["_model_name"],
                            "module": c["data"]["state"]["_model_module"],
                            "version": c["data"]["state"]["_model_module_version"]} for c in opens]
    result["comm_open_versions"] = sorted({m["metadata"].get("version", "") for m in msgs if m["msg_type"] == "comm_open"})
    views = [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data"
             and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]]
    result["views"] = [v["application/vnd.jupyter.widget-view+json"] for v in views]
    slider = next(c for c in opens if c["data"]["state"]["_model_name"] == "FloatLogSliderModel")
    result["slider_state"] = slider["data"]["state"]
    output = next(c for c in opens if c["data"]["state"]["_model_name"] == "OutputModel")
    first = [m["content"] for m in msgs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == output["comm_id"]]
    fig = figure_in(first[-1]["data"]["state"]["outputs"]) if first else None
    result["first_title"] = fig["layout"]["title"]["text"] if fig else None

    info = send_shell("comm_info_request", {"target_name": "jupyter.widget"})
    while True:
        r = kc.get_shell_msg(timeout=60)
        if r["parent_header"].get("msg_id") == info:
            result["comm_info_count"] = len(r["content"]["comms"])
            break

    control = "control-" + msg_id
    send_shell("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
    ask = send_shell("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    states = [m["content"] for m in drain(ask) if m["msg_type"] == "comm_msg"]
    result["update_states_count"] = len(states[0]["data"]["states"]) if states else 0

    # A fast drag: three updates of the slider's value, all waiting on shell when the kernel gets to them (it is busy
    # with a cell meanwhile, so how fast this machine relays them does not matter); it redraws once, with the last.
    kc.execute("System.Threading.Thread.Sleep(500);")
    ids = [send_shell("comm_msg", {"comm_id": slider["comm_id"],
                                   "data": {"method": "update", "state": {"value": v}, "buffer_paths": []}})
           for v in (0.2, 0.3, 0.5)]
    redrawn = front_end.redraws(kc, ids, output["comm_id"], timeout=60)
    result["redraws"] = len(redrawn)
    fig = figure_in(redrawn[-1]["data"]["state"]["outputs"]) if redrawn else None
    result["redrawn_title"] = fig["layout"]["title"]["text"] if fig else None
    result["redrawn_y"] = fig["data"][0]["y"][1] if fig else None
    check = kc.execute("draws")
    result["draws"] = [m["content"]["data"]["text/plain"] for m in drain(check) if m["msg_type"] == "execute_result"]
    result["ok"] = True
except Exception as e:
    result["ok"] = False
    result["error"] = f"{type(e).__name__}: {e}"
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    print(json.dumps(result))
