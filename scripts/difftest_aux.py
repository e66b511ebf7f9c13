"""Auxiliary subsystems for difftest.py (--subsystems): graphs with a power
and/or an ibnet subsystem beside containment, jobspecs that name their types,
and the -S set to run them with.

The auxiliary part of a case is drawn from its own random stream
(Random("SEED:i:aux")), after the classic case is drawn: a case with
--subsystems is the case without it plus the auxiliary part, and runs without
--subsystems are unchanged.

power: a powerpanel root (path /powerpanel0), pdus below it, supplies edges
pdu -> node for some or all nodes, optional power-capacity vertices (type
"power", size 10..) below the panel, pdus, nodes or sockets, and pdus that
may also be contained by a rack or the cluster (as in Fluxion's
t/data/resource/jgfs/power.json).  ibnet: a core switch root, leaf switches,
switch -> node edges, switches optionally contained by the cluster.
Auxiliary edges always point away from the auxiliary root: Fluxion's up-walk
has no cycle check and overflows its stack on a cycle.  Now and then the
root of a selected subsystem is left out (Fluxion then refuses to start)."""
import json

# -S sets and the auxiliary subsystems whose edges each one walks.
SETS = {"CA": [], "C+PA": ["power"], "C+IBA": ["ibnet"], "C+P+IBA": ["power", "ibnet"],
        "ALL": ["ibnet", "power"]}
DEFAULT_SETS = "C+PA,C+IBA,C+P+IBA,CA"


def gen_aux(rng, gp, sets):
    """The auxiliary part of a case: {"set", "power", "ibnet", "order"}."""
    s = rng.choice(sets)
    want = set(SETS.get(s, []))
    # sometimes a subsystem the set does not select (its edges must be ignored)
    if rng.random() < 0.2:
        want.add(rng.choice(["power", "ibnet"]))
    aux = {"set": s, "order": rng.choice(["end", "end", "start", "mixed"]),
           "seed": rng.randrange(1 << 30)}
    if "power" in want:
        aux["power"] = {
            "pdus": rng.randint(1, 3),
            "contained": rng.choice([None, None, "rack", "cluster"]),
            "cover": rng.choice([1.0, 1.0, 0.5, 0.0]),
            "panel_power": rng.choice([0, 0, 1, 2]),
            "pdu_power": rng.choice([0, 1]),
            "node_power": rng.choice([0, 0, 1, 2]),
            "socket_power": rng.random() < 0.15,
            "size": rng.choice([1, 10]),
            "noroot": rng.random() < 0.03}
    if "ibnet" in want:
        aux["ibnet"] = {
            "leafs": rng.randint(1, 3),
            "contained": rng.choice([None, None, "cluster"]),
            "cover": rng.choice([1.0, 1.0, 0.5]),
            "noroot": rng.random() < 0.03}
    return aux


def aux_types(aux):
    t = []
    if aux.get("power"):
        t += ["pdu", "powerpanel"] + (["power"] if _has_power_vertices(aux["power"]) else [])
    if aux.get("ibnet"):
        t += ["switch"]
    return t


def _has_power_vertices(p):
    return p["panel_power"] or p["pdu_power"] or p["node_power"] or p["socket_power"]


def _walk(res, fn):
    for r in res:
        fn(r)
        _walk(r.get("with", []), fn)


def aux_jobspec(rng, js, aux):
    """Now and then name an auxiliary type in jobspec 'js' (changed in place)."""
    types = aux_types(aux)
    if not types or rng.random() < 0.5:
        return
    k = rng.random()
    t = rng.choice(types)
    if k < 0.4:
        # beside the request of some level
        res = js["resources"]
        spots = [res]
        _walk(res, lambda r: spots.append(r["with"]) if r.get("with") else None)
        spot = rng.choice(spots)
        spot.append({"type": t, "count": rng.choice([1, 1, 2])})
        if rng.random() < 0.2:
            spot[-1]["exclusive"] = rng.choice([True, False])
    elif k < 0.7:
        # below a node or socket (power capacity there is an auxiliary child)
        hosts = []
        _walk(js["resources"], lambda r: hosts.append(r) if r["type"] in ("node", "socket")
              else None)
        if hosts:
            h = rng.choice(hosts)
            h.setdefault("with", []).append({"type": rng.choice(["power", t]),
                                             "count": rng.choice([1, 2])})
    else:
        # the whole request below an auxiliary vertex
        js["resources"] = [{"type": t, "count": 1, "with": js["resources"]}]


class _Graph:
    def __init__(self, g):
        self.g = g
        self.nodes = g["graph"]["nodes"]
        self.edges = []
        self.next = max(int(v["id"]) for v in self.nodes) + 1
        self.uniq = max(v["metadata"]["uniq_id"] for v in self.nodes) + 1
        self.count = {}

    def vertex(self, typ, paths, size=1, unit=""):
        i = self.count.get(typ, 0)
        self.count[typ] = i + 1
        name = "%s%d" % (typ, i)
        v = {"id": str(self.next), "metadata": {
            "type": typ, "basename": typ, "name": name, "id": i, "uniq_id": self.uniq,
            "rank": -1, "exclusive": False, "unit": unit, "size": size,
            "paths": {k: p + "/" + name for k, p in paths.items()}}}
        self.next += 1
        self.uniq += 1
        self.nodes.append(v)
        return v

    def edge(self, src, dst, sub):
        self.edges.append({"source": src["id"], "target": dst["id"],
                           "metadata": {"subsystem": sub}})


def _of_type(g, t):
    return sorted((v for v in g.nodes if v["metadata"]["type"] == t),
                  key=lambda v: v["metadata"]["uniq_id"])


def _path(v, sub):
    return v["metadata"]["paths"][sub]


def _power(g, p, cont_edges):
    cl = _of_type(g, "cluster")[0]
    root_at = "/site0" if p["noroot"] else ""
    panel = g.vertex("powerpanel", {"power": root_at})
    racks = _of_type(g, "rack")
    pdus = []
    for k in range(p["pdus"]):
        paths = {"power": _path(panel, "power")}
        holder = None
        if p["contained"] == "rack" and racks:
            holder = racks[k % len(racks)]
        elif p["contained"]:
            holder = cl
        if holder:
            paths["containment"] = _path(holder, "containment")
        pdu = g.vertex("pdu", paths)
        if holder:
            cont_edges.append((holder, pdu))
        g.edge(panel, pdu, "power")
        pdus.append(pdu)
    caps = lambda host, n: [g.edge(host, g.vertex("power", {"power": _path(host, "power")},
                                                   p["size"], "KW"), "power")
                            for _ in range(n)]
    caps(panel, p["panel_power"])
    for pdu in pdus:
        caps(pdu, p["pdu_power"])
    nodes = _of_type(g, "node")
    for j, nd in enumerate(nodes[:int(round(len(nodes) * p["cover"]))]):
        pdu = pdus[j % len(pdus)]
        g.edge(pdu, nd, "power")
        nd["metadata"]["paths"]["power"] = _path(pdu, "power") + "/" + nd["metadata"]["name"]
        caps(nd, p["node_power"])
        if p["socket_power"]:
            # power below the node's sockets, reached from the sockets only (an
            # edge node -> socket in power would duplicate the containment one,
            # which Fluxion's reader refuses)
            for s in _sockets_of(g, nd):
                s["metadata"]["paths"]["power"] = (_path(nd, "power") + "/"
                                                   + s["metadata"]["name"])
                caps(s, 1)


def _sockets_of(g, nd):
    pre = _path(nd, "containment") + "/"
    return [s for s in _of_type(g, "socket")
            if _path(s, "containment").startswith(pre)
            and "/" not in _path(s, "containment")[len(pre):]]


def _ibnet(g, p, cont_edges):
    cl = _of_type(g, "cluster")[0]
    core = g.vertex("switch", {"ibnet": "/fabric0" if p["noroot"] else ""})
    leafs = []
    for _ in range(p["leafs"]):
        paths = {"ibnet": _path(core, "ibnet")}
        if p["contained"]:
            paths["containment"] = _path(cl, "containment")
        sw = g.vertex("switch", paths)
        if p["contained"]:
            cont_edges.append((cl, sw))
        g.edge(core, sw, "ibnet")
        leafs.append(sw)
    nodes = _of_type(g, "node")
    for j, nd in enumerate(nodes[:max(1, int(round(len(nodes) * p["cover"])))]):
        sw = leafs[j % len(leafs)]
        g.edge(sw, nd, "ibnet")
        nd["metadata"]["paths"]["ibnet"] = _path(sw, "ibnet") + "/" + nd["metadata"]["name"]


def add_aux_graph(fn, aux, rng):
    """Add the auxiliary subsystems of 'aux' to the JGF file 'fn' (in place)."""
    with open(fn) as fp:
        g = _Graph(json.load(fp))
    cont = []
    if aux.get("power"):
        _power(g, aux["power"], cont)
    if aux.get("ibnet"):
        _ibnet(g, aux["ibnet"], cont)
    edges = g.g["graph"]["edges"]
    # containment edges to auxiliary vertices come after the holder's other
    # children (a pdu as the last child of its rack)
    edges += [{"source": h["id"], "target": v["id"], "metadata": {"subsystem": "containment"}}
              for h, v in cont]
    order = aux.get("order", "end")
    if order == "end":
        edges += g.edges
    elif order == "start":
        edges[:0] = g.edges
    else:
        for e in g.edges:
            edges.insert(rng.randint(0, len(edges)), e)
    with open(fn, "w") as fp:
        json.dump(g.g, fp)
        fp.write("\n")
