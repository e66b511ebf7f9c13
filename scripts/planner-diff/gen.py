import random, sys
seed = int(sys.argv[1]); mode = sys.argv[2] if len(sys.argv) > 2 else "single"
r = random.Random(seed)
out = []
if mode in ("single", "big", "long"):
    base = r.choice([0, 0, 10, 1000]); H = r.choice([50, 200, 1000]); total = r.randint(1, 10)
    if mode == "big":
        base = 0
    upd = r.random() < 0.3
    if mode == "long":
        H = 5000
    out.append(f"new {base} {H if mode != 'big' else 2**63 - 1} {total}")
    cnt = 0; tot = total
    for _ in range(r.randint(50, 400) * (20 if mode == "long" else 1)):
        x = r.random()
        if x < 0.3:
            s = r.randint(base - 2, base + H); d = r.randint(1, H // 3 + 1)
            out.append(f"add {s} {d} {r.randint(0, tot + 1)}"); cnt += 1
        elif x < 0.4:
            out.append(f"rem {r.randint(0, cnt + 1)}")
        elif x < 0.5:
            out.append(f"red {r.randint(0, cnt + 1)} {r.randint(0, tot)}")
        elif x < 0.65:
            out.append(f"first {r.randint(base, base + H - 1)} {r.randint(1, H // 2)} {r.randint(0, tot + 1)}")
        elif x < 0.75:
            out.append("next")
        elif x < 0.83:
            out.append(f"during {r.randint(base - 5, base + H)} {r.randint(1, H // 2)} {r.randint(0, tot + 1)}")
        elif x < 0.9:
            out.append(f"rdur {r.randint(base - 5, base + H)} {r.randint(1, H // 2)}")
        elif x < 0.97 or not upd:
            out.append(f"rat {r.randint(base - 2, base + H + 2)}")
        else:
            tot = r.randint(0, 15); out.append(f"upd {tot}")
else:
    H = r.choice([100, 500]); n = r.randint(1, 4)
    cnt_bias = 0
    names = ["A", "B", "C", "D", "E", "F"]
    types = r.sample(names, n); totals = [r.randint(1, 8) for _ in types]
    out.append(f"mnew 0 {H} {n} " + " ".join(f"{t} {c}" for t, c in zip(types, totals)))
    cnt = 0
    for _ in range(r.randint(50, 300)):
        x = r.random()
        vec = lambda: " ".join(str(r.randint(0, c + (1 if r.random() < 0.05 else 0))) for c in totals)
        if x < 0.3:
            s = r.randint(0, H - 1); d = r.randint(1, H // 3)
            out.append(f"madd {s} {d} {vec()}"); cnt += 1
        elif x < 0.4:
            out.append(f"mrem {r.randint(0, cnt)}")
        elif x < 0.5:
            k = r.randint(1, n)
            sel = r.sample(list(zip(types, totals)), k)
            out.append(f"mred {r.randint(0, cnt)} {k} " + " ".join(f"{t} {r.randint(0, 2)}" for t, c in sel))
        elif x < 0.65:
            out.append(f"mfirst {r.randint(0, H - 1)} {r.randint(1, H // 2)} {vec()}")
        elif x < 0.78:
            out.append("mnext")
        elif x < 0.86:
            out.append(f"mduring {r.randint(0, H)} {r.randint(1, H // 2)} {vec()}")
        elif x < 0.93:
            out.append(f"mat {r.randint(0, H)}")
        elif x < 0.98:
            out.append(f"mplan {r.randint(0, cnt)}")
        elif x < 0.99 or mode != "multi2":
            totals = [max(0, c + r.randint(-2, 3)) for c in totals]
            out.append(f"mupd {n} " + " ".join(f"{t} {c}" for t, c in zip(types, totals)))
        else:
            out.append("mclear")
            n = r.randint(1, 4); types = r.sample(names, n); totals = [r.randint(1, 8) for _ in types]
            out.append(f"mupd {n} " + " ".join(f"{t} {c}" for t, c in zip(types, totals)))
print("\n".join(out))
