"""The PyTorch twin of Sources/torchbench-dist: torch.distributed with the Gloo backend,
two processes on loopback (mp.spawn). Prints one JSON object {"case": median seconds};
every time is the slowest rank's, each iteration starting from a barrier.

Usage: python3 torch_dist_bench.py
"""
import json
import os
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

ITERATIONS = int(os.environ.get("TORCHBENCH_DIST_ITERATIONS", "10"))
FILTER = os.environ.get("TORCHBENCH_DIST_FILTER", "")  # only cases whose name contains it


def measure(body, warmup=2):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(ITERATIONS):
        dist.barrier()
        start = time.perf_counter()
        body()
        t = torch.tensor([time.perf_counter() - start], dtype=torch.float64)
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        times.append(t.item())
    times.sort()
    return times[len(times) // 2]


def mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 2048), nn.ReLU(),
                         nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 2048))


def worker(rank, world, port, out):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(1)  # two ranks share two cores
    dist.init_process_group("gloo", rank=rank, world_size=world)
    results = {}

    def bench(name, body):
        if FILTER in name:
            results[name] = measure(body)
    big = torch.ones(25_000_000)
    bench("allreduce_100MB_float32", lambda: dist.all_reduce(big))

    x = torch.randn(64, 2048)
    local = mlp()

    def local_step():
        local.zero_grad()
        local(x).pow(2).mean().backward()
    bench("local_step", local_step)
    flat = torch.zeros(sum(p.numel() for p in local.parameters()))
    bench("grads_allreduce", lambda: dist.all_reduce(flat))
    wrapped = mlp()
    ddp = nn.parallel.DistributedDataParallel(wrapped)

    def ddp_step():
        wrapped.zero_grad()
        ddp(x).pow(2).mean().backward()
    bench("ddp_step", ddp_step)
    # The same with .grad as views into the buckets, zeroed in place: no gradient copies.
    viewed = mlp()
    ddp_viewed = nn.parallel.DistributedDataParallel(viewed, gradient_as_bucket_view=True)

    def ddp_step_bucket_view():
        viewed.zero_grad(set_to_none=False)
        ddp_viewed(x).pow(2).mean().backward()
    bench("ddp_step_bucket_view", ddp_step_bucket_view)
    if rank == 0:
        with open(out, "w") as f:
            json.dump(results, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    import socket
    import tempfile
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tempfile.mktemp(suffix=".json")
    mp.spawn(worker, args=(2, port, out), nprocs=2)
    print(open(out).read())
    os.remove(out)
