"""What an ipywidgets 8 front end does with our kernel, for the widget session scripts (widgets_session.py,
lesson_widget_session.py): read a cell's IOPub messages, send a shell message, wait for the Output widget's redraws."""
import queue
import time

PLOTLY = "application/vnd.plotly.v1+json"


def drain(kc, parent_id, timeout=300):
    """IOPub messages that are children of parent_id, until it is idle."""
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != parent_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return seen
        seen.append(m)


def send_shell(kc, msg_type, content):
    msg = kc.session.msg(msg_type, content)
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def figure_in(outputs):
    """The first plotly figure among an Output widget's outputs, or None."""
    for o in outputs:
        data = o.get("data", {})
        if PLOTLY in data:
            return data[PLOTLY]
    return None


def redraws(kc, parent_ids, output_comm_id, timeout=120, quiet=1.5):
    """The Output widget's state updates caused by the shell messages parent_ids, until none came for `quiet` s."""
    redrawn, deadline = [], time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=quiet)
        except queue.Empty:
            if redrawn:
                break
            continue
        if m["parent_header"].get("msg_id") in parent_ids and m["msg_type"] == "comm_msg" \
                and m["content"]["comm_id"] == output_comm_id:
            redrawn.append(m["content"])
    return redrawn
