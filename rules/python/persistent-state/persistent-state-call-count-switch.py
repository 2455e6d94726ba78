import torch

calls = 0


class ModelNew(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n = 0
        self.step = 0

    def forward(self, x):
        self.n += 1
        # ruleid: persistent-state-call-count-switch
        if self.n <= 10:
            return torch.relu(x)
        return x

    def __call__(self, x):
        self.step += 1
        # ok: persistent-state-call-count-switch
        if self.step % 100 == 0:
            print("calls", self.step)
        return self.forward(x)


class Counted(torch.nn.Module):
    def forward(self, x):
        self.k = getattr(self, "k", 0) + 1
        # ruleid: persistent-state-call-count-switch
        if self.k > 20:
            return x
        return torch.relu(x)


def run(x):
    global calls
    calls += 1
    # ruleid: persistent-state-call-count-switch
    return torch.relu(x) if calls < 5 else x


def train_loop(model, xs):
    step = 0
    for x in xs:
        step += 1
        # ok: persistent-state-call-count-switch
        if step > 10:
            break


# The counter is stepped in one helper and read in another, both reached from the entry point.
_state = {"calls": 0}


class _Phase:
    seen = 0

    @classmethod
    def tick(cls):
        cls.seen += 1

    @classmethod
    def checking(cls):
        return cls.seen <= 15


def custom_kernel(data):
    _Phase.tick()
    # ruleid: persistent-state-call-count-switch
    if _Phase.checking():
        return data[0] @ data[1]
    return data[0]
