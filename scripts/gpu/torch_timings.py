"""The GPU timing workloads (see dev.specnorm.cuda.GpuTimings) in PyTorch on the same GPU: medians of CUDA-event timings after warm-up.
Prints one JSON object per workload, like GpuTimings. Usage: python3 torch_timings.py [quick]"""
import json
import sys

import torch
import torch.nn.functional as F

quick = len(sys.argv) > 1 and sys.argv[1] == "quick"
dev = torch.device("cuda")
torch.backends.cuda.matmul.allow_tf32 = False
SNGAN = [(64, 27), (64, 1024), (128, 576), (128, 2048), (256, 1152), (256, 4096), (512, 2304), (1, 8192)]


def median_ms(fn, reps):
    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def emit(workload, ms, **extra):
    print(json.dumps({"workload": workload, "backend": "torch", "median_ms": round(ms, 4), **extra}), flush=True)


def copy_bandwidth():
    n = (1 << 30) // 4 * 2  # 2 GiB of float32
    a = torch.randn(n, device=dev)
    b = torch.empty_like(a)
    ms = median_ms(lambda: b.copy_(a), 20)
    emit("device copy 2 GiB", ms, gbps=round(2 * a.numel() * 4 / ms / 1e6, 1))
    del a, b


def power_step(ws, us):
    """One power-iteration step as torch.nn.utils.parametrizations.spectral_norm does it, per matrix."""
    out = []
    for w, u in zip(ws, us):
        v = F.normalize(torch.mv(w.t(), u), dim=0, eps=1e-12)
        u2 = F.normalize(torch.mv(w, v), dim=0, eps=1e-12)
        out.append(torch.dot(u2, torch.mv(w, v)))
    return out


def power(batch, m, n):
    w = torch.randn(batch, m, n, device=dev)
    u = F.normalize(torch.randn(batch, m, device=dev), dim=1)

    def step():
        v = F.normalize(torch.bmm(w.transpose(1, 2), u.unsqueeze(2)).squeeze(2), dim=1, eps=1e-12)
        t = torch.bmm(w, v.unsqueeze(2)).squeeze(2)
        u2 = F.normalize(t, dim=1, eps=1e-12)
        return (u2 * t).sum(1)

    ms = median_ms(step, 30)
    emit(f"power {batch}x{m}x{n}", ms, gbps=round(2 * batch * m * n * 4 / ms / 1e6, 1))
    if batch == 64:
        ws = [torch.randn(m, n, device=dev) for _ in range(8)]
        lin = torch.nn.Linear(n, m, bias=False, device=dev)
        sn = torch.nn.utils.parametrizations.spectral_norm(lin)
        sn.train()
        x = torch.randn(1, n, device=dev)

        def parametrization():
            for _ in range(batch):
                sn.parametrizations.weight[0](sn.parametrizations.weight.original)
        emit(f"spectral_norm parametrization x{batch} {m}x{n}", median_ms(parametrization, 10))


def sngan():
    ws = [torch.randn(m, n, device=dev) * 0.02 for m, n in SNGAN]
    us = [F.normalize(torch.randn(m, device=dev), dim=0) for m, _ in SNGAN]
    emit("sngan power step (8 layers)", median_ms(lambda: power_step(ws, us), 50))

    def normalize():
        s = power_step(ws, us)
        return [w / torch.clamp(si, min=1e-12) for w, si in zip(ws, s)]
    emit("sngan normalize (8 layers)", median_ms(normalize, 50))


def svdvals(batch, m, n):
    w = torch.randn(batch, m, n, device=dev)
    emit(f"svdvals {batch}x{m}x{n}", median_ms(lambda: torch.linalg.svdvals(w), 3 if quick else 7))


def biggan():
    ws = [torch.randn(m, n, device=dev) * 0.02 for m, n in SNGAN]

    def penalty(ws):
        grads = []
        total = 0
        for w in ws:
            a = w @ w.t()
            mask = a * (1 - torch.eye(a.shape[0], device=dev))
            total = total + 1e-4 * (mask ** 2).sum()
            grads.append(4e-4 * mask @ w)
        return total, grads
    emit("biggan penalty+grad (8 layers)", median_ms(lambda: penalty(ws), 30))
    big = [torch.randn(512, 4608, device=dev) * 0.02]
    emit("biggan penalty+grad 512x4608", median_ms(lambda: penalty(big), 30))

    def autograd():
        wr = [w.clone().requires_grad_(True) for w in ws]
        total = 0
        for w in wr:
            a = w @ w.t()
            total = total + 1e-4 * ((a * (1 - torch.eye(a.shape[0], device=dev))) ** 2).sum()
        total.backward()
    emit("biggan autograd (8 layers)", median_ms(autograd, 30))


def exact(n):
    w = torch.randn(n, n, device=dev)
    reps = 1 if n >= 4096 else 5
    emit(f"exact sigma {n}x{n}", median_ms(lambda: torch.linalg.matrix_norm(w, ord=2), reps))


def guarded(name, fn, *args):
    """Runs one workload; a failure is printed as {"workload": name, "backend": "torch", "error": ...} and the
    script goes on with the next workload (a CUDA error is sticky only for that workload's tensors)."""
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001 - any failure of one workload must not stop the others
        print(json.dumps({"workload": name, "backend": "torch", "error": f"{type(e).__name__}: {e}"[:300]}),
              flush=True)
        torch.cuda.empty_cache()


if __name__ == "__main__":
    print(json.dumps({"torch": torch.__version__, "device": torch.cuda.get_device_name(0),
                      "cuda": torch.version.cuda}), file=sys.stderr)
    guarded("device copy 2 GiB", copy_bandwidth)
    guarded("power 64x1024x1024", power, 64, 1024, 1024)
    if not quick:
        guarded("power 1x4096x4096", power, 1, 4096, 4096)
    guarded("sngan power step (8 layers)", sngan)
    guarded("svdvals 262144x3x3", svdvals, 262144, 3, 3)
    guarded("svdvals 4096x32x32", svdvals, 4096, 32, 32)
    guarded("biggan penalty+grad (8 layers)", biggan)
    for n in ([256, 1024] if quick else [256, 1024, 4096, 8192]):
        guarded(f"exact sigma {n}x{n}", exact, n)
