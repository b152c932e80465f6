"""The live loss curve through Debian's jupyter_client, as a front end sees it.

Usage: live_loss_session.py KERNEL_NAME LIBRARY_DLL
Runs a training of about 3 s and records every IOPub message of that cell (type, display id, time,
the text of progress lines), then a training it interrupts once the live figure is up.
Prints one JSON object.
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

name, library = sys.argv[1], sys.argv[2]
km = KernelManager(kernel_name=name)
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
result = {}

SETUP = f'''#r "{library}"
using FromScratch;
using MathNet.Numerics.LinearAlgebra;
var M = Matrix<double>.Build;
var x = M.Dense(2, 4, (i, j) => (i + j) % 2);
var y = M.Dense(1, 4, (i, j) => j % 2);
Network Fresh() => Network.Create([2, 4, 1], Activation.Tanh, Activation.Sigmoid, Initializer.Uniform(1), 1);
Trainer Slow(int epochs) => new Trainer(Loss.SumOfSquares, new Sgd(0.5))
{{
    Epochs = epochs, Name = "SGD",
    Metric = (p, q) => {{ System.Threading.Thread.Sleep(30); return 0; }},
}};'''


def record(msg_id, stop_when=None, timeout=120):
    """Every IOPub message of the request until it is idle: type, display id, seconds since the first one, by the
    kernel's clock (the header's date, set when the kernel sent the message): the arrival times here also hold the
    relay's and this machine's scheduling delays, which can put two messages sent 0.2 s apart 0.18 s apart."""
    seen, start = [], None
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        sent = m["header"].get("date")
        now = sent.timestamp() if hasattr(sent, "timestamp") else time.time()
        start = start or now
        t = m["msg_type"]
        c = m["content"]
        if t == "status" and c["execution_state"] == "idle":
            return seen
        entry = {"type": t, "t": round(now - start, 3)}
        if t in ("display_data", "update_display_data"):
            entry["id"] = c.get("transient", {}).get("display_id")
            data = c["data"]
            entry["figure"] = "application/vnd.plotly.v1+json" in data
            entry["html_only"] = "application/vnd.plotly.v1+json" not in data and data.get("text/plain", "") == ""
            if entry["figure"]:
                traces = data["application/vnd.plotly.v1+json"]["data"]
                entry["points"] = len(traces[0]["x"]) if traces else 0
            else:
                entry["text"] = data.get("text/plain", "")
        elif t == "execute_result":
            entry["text"] = c["data"].get("text/plain", "")
        elif t == "error":
            entry["ename"] = c["ename"]
        seen.append(entry)
        if stop_when and stop_when(entry):
            return seen


def reply(msg_id):
    while True:
        r = kc.get_shell_msg(timeout=120)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"]


try:
    setup = kc.execute(SETUP)
    assert reply(setup)["status"] == "ok", "setup failed"

    msg = kc.execute('var net = Fresh();\nvar history = Slow(100).Train(net, x, y);\nhistory.Epochs')
    result["long"] = record(msg)
    result["long_reply"] = reply(msg)["status"]

    quick = kc.execute('var h2 = new Trainer(Loss.SumOfSquares, new Sgd(0.5)) { Epochs = 50 }.Train(Fresh(), x, y);\nh2.Epochs')
    result["quick"] = record(quick)
    reply(quick)

    before = kc.execute('var kept = Fresh();\nvar lossBefore = Loss.SumOfSquares.Value(kept.Predict(x), y);')
    reply(before)
    msg = kc.execute('var h3 = Slow(1000).Train(kept, x, y);')
    first = record(msg, stop_when=lambda e: e["type"] == "update_display_data")
    time.sleep(0.5)
    km.interrupt_kernel()
    rest = record(msg)
    result["interrupted"] = first + rest
    result["interrupted_reply"] = reply(msg).get("ename")
    after = kc.execute('Loss.SumOfSquares.Value(kept.Predict(x), y) < lossBefore')
    got = record(after)
    result["kept_weights_better"] = [e.get("text") for e in got]
    result["ok"] = True
except Exception as e:
    result["ok"] = False
    result["error"] = f"{type(e).__name__}: {e}"
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    print(json.dumps(result))
