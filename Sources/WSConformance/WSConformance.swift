// The conformance library as one import for the CLI and the tests: the case catalog, the judge, the
// results, the case runner and the three products built on it (server testing, client testing,
// network fuzzing). Each is its own target; CONTRIBUTING.md draws how they depend on each other.
@_exported import WSCaseRunner
@_exported import WSCatalog
@_exported import WSClientTesting
@_exported import WSJudge
@_exported import WSNetFuzz
@_exported import WSResultFormat
@_exported import WSResults
@_exported import WSServerTesting
