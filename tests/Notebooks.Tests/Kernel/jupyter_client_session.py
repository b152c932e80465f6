"""Debian's jupyter_client drives the installed kernelspec (KernelManager, as front ends do).

Usage: jupyter_client_session.py KERNEL_NAME LIBRARY_DLL
Environment: JUPYTER_PATH etc. point at the temporary kernelspec.
Prints one JSON object: for each case, the reply's status/ename/evalue and how long it took.
"""
import json
import sys
import threading
import time

from jupyter_client.manager import KernelManager

name, library = sys.argv[1], sys.argv[2]
km = KernelManager(kernel_name=name)
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
result = {}


def run(code, timeout=120):
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def interrupt_after_start(key, code, via_signal=False):
    """Runs code that prints 'started', interrupts 0.5 s after that, and times the reply."""
    msg_id = kc.execute(code)
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream" and "started" in m["content"]["text"]:
            break
        if m["msg_type"] == "error":
            result[key] = {"status": "error-before-start", "evalue": m["content"]["evalue"]}
            return
    time.sleep(0.5)
    start = time.time()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    c = reply["content"]
    result[key] = {"status": c["status"], "ename": c.get("ename"), "evalue": c.get("evalue"),
                   "seconds": round(time.time() - start, 3), "after": run("before + 1").get("status")}
    check = run("before")
    result[key]["before_ok"] = check["status"] == "ok"


try:
    run(f'#r "{library}"\nusing FromScratch;\nvar before = 41;')
    interrupt_after_start("toy_train", 'var toy = new ToyNetwork();\nConsole.WriteLine("started");\n'
                          'toy.Train([new ToySample(0, 1, 1), new ToySample(1, 0, 0)], 0.1, 50_000_000);')
    interrupt_after_start("trainer_train", 'var net = Network.Create([2, 8, 1], Activation.Tanh, Activation.Sigmoid, Initializer.Uniform(1), 1);\n'
                          'var tr = new Trainer(Loss.SumOfSquares, new Sgd(0.1)) { Epochs = 50_000_000 };\nConsole.WriteLine("started");\n'
                          'var M = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;\ntr.Train(net, M.Dense(2, 4, 0.5), M.Dense(1, 4, 1));')
    interrupt_after_start("sleep", 'Console.WriteLine("started");\nSystem.Threading.Thread.Sleep(60_000);')
    interrupt_after_start("task_delay", 'Console.WriteLine("started");\nawait Task.Delay(60_000);\nbefore = -1;')
    so = run("int Deep(int n) => Deep(n + 1) + 1;\nDeep(0)")
    result["stack_overflow"] = {"status": so["status"], "ename": so.get("ename"), "evalue": so.get("evalue"),
                                "after": run("before + 1")["status"]}
    died = run('Environment.FailFast("native-like crash");')
    result["fail_fast"] = {"status": died["status"], "ename": died.get("ename"), "evalue": died.get("evalue"),
                           "after": run("6 * 7")["status"], "alive": km.is_alive()}
    result["ok"] = True
except Exception as e:
    result["ok"] = False
    result["error"] = f"{type(e).__name__}: {e}"
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    print(json.dumps(result))
