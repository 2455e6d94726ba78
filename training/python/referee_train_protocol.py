"""The wire format between Referee's trusted evaluator and the model server (issue 13).

Both ends run in separate sandboxes joined by one AF_UNIX stream socket. The evaluator sends
token batches; the model server answers with what the candidate's model returned, converted to
float32. Nothing is pickled: headers are fixed-size little-endian integers, payloads raw arrays
or UTF-8 text, and every size is checked against a limit before anything is read.

    request:  b"RFQ1", op, B, T                      (4 x uint32) + B*T int32 token ids
              (op LOAD first: the server then imports the entry point and says hello)
    hello:    b"RFH1", status, n                     (3 x uint32) + n bytes of UTF-8 (JSON)
    response: b"RFR1", status, ndim, d0, d1, d2       (6 x uint32) + payload
              status 0: float32 tensor of shape dims[:ndim]; 1: error text (d0 bytes);
              2: text (d0 bytes)
"""
import struct

REQUEST = b"RFQ1"
HELLO = b"RFH1"
RESPONSE = b"RFR1"
OP_FORWARD = 1
OP_STATE = 2
OP_QUIT = 3
OP_LOAD = 4  # the server starts with phase 1 (its imports overlap training) and loads on this
STATUS_TENSOR = 0
STATUS_ERROR = 1
STATUS_TEXT = 2
MAX_TEXT = 1 << 20


class ProtocolError(Exception):
    pass


def recv_exact(sock, n):
    chunks = []
    while n > 0:
        chunk = sock.recv(min(n, 1 << 22))
        if not chunk:
            raise ProtocolError("the other side closed the channel")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def send_request(sock, op, tokens=None):
    """tokens: a C-contiguous int32 numpy array [B, T] (or None for OP_STATE/OP_QUIT)."""
    if tokens is None:
        sock.sendall(REQUEST + struct.pack("<III", op, 0, 0))
        return
    b, t = tokens.shape
    sock.sendall(REQUEST + struct.pack("<III", op, b, t) + tokens.tobytes())


def recv_request(sock, max_tokens):
    head = recv_exact(sock, 16)
    if head[:4] != REQUEST:
        raise ProtocolError("bad request header")
    op, b, t = struct.unpack("<III", head[4:])
    if b * t > max_tokens:
        raise ProtocolError("request too large")
    return op, b, t, recv_exact(sock, 4 * b * t)


def send_hello(sock, status, text):
    data = text.encode("utf-8", "replace")[:MAX_TEXT]
    sock.sendall(HELLO + struct.pack("<II", status, len(data)) + data)


def recv_hello(sock):
    head = recv_exact(sock, 12)
    if head[:4] != HELLO:
        raise ProtocolError("bad hello header")
    status, n = struct.unpack("<II", head[4:])
    if n > MAX_TEXT:
        raise ProtocolError("hello too large")
    return status, recv_exact(sock, n).decode("utf-8", "replace")


def send_text(sock, status, text):
    data = text.encode("utf-8", "replace")[:MAX_TEXT]
    sock.sendall(RESPONSE + struct.pack("<IIIII", status, 1, len(data), 0, 0) + data)


def send_tensor(sock, shape, payload):
    dims = list(shape) + [0] * (3 - len(shape))
    sock.sendall(RESPONSE + struct.pack("<IIIII", STATUS_TENSOR, len(shape), *dims) + payload)


def recv_response(sock, max_elements):
    """Returns (status, shape, payload bytes). Refuses payloads over max_elements floats."""
    head = recv_exact(sock, 24)
    if head[:4] != RESPONSE:
        raise ProtocolError("bad response header")
    status, ndim, d0, d1, d2 = struct.unpack("<IIIII", head[4:])
    if status in (STATUS_ERROR, STATUS_TEXT):
        if d0 > MAX_TEXT:
            raise ProtocolError("text response too large")
        return status, (d0,), recv_exact(sock, d0)
    if status != STATUS_TENSOR or ndim > 3:
        raise ProtocolError("bad response (status %d, ndim %d)" % (status, ndim))
    shape = (d0, d1, d2)[:ndim]
    n = 1
    for d in shape:
        n *= d
    if n > max_elements:
        raise ProtocolError("response of shape %s is too large" % (shape,))
    return status, shape, recv_exact(sock, 4 * n)
