import Foundation
import Yams

/// Loads `Cases/*.yaml` into a `CaseCatalog`. Each file holds one section (or part of one):
///
/// ```yaml
/// section: 2
/// title: Pings/Pongs
/// subsections: {"2.1": ...}      # optional: titles of subsections
/// templates: {name: {...}}       # optional: partial cases that cases can start from
/// cases: [...]
/// ```
///
/// Every problem is reported with file, line, column and field; loading goes on after a bad case so
/// that one run lists all problems.
public enum CatalogLoader {
    static let fileKeys = ["section", "title", "description", "subsections", "templates", "cases"]

    /// Loads every `*.yaml` file directly in `directory` (sorted by name); datasets are looked up in
    /// `directory/data`. `parameters` supplies the values cases `require` (section 25); cases whose
    /// values are missing load with probe values and are marked not applicable.
    public static func load(directory: URL, parameters: [CatalogParameter: Int] = [:]) throws(CatalogErrors) -> CaseCatalog {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw CatalogErrors([CatalogError(file: directory.path, line: nil, column: nil, field: "",
                                              message: "cannot list the directory: \(error.localizedDescription)")])
        }
        if files.isEmpty {
            throw CatalogErrors([CatalogError(file: directory.path, line: nil, column: nil, field: "",
                                              message: "no .yaml case files in this directory")])
        }
        return try load(files: files, dataDirectory: directory.appendingPathComponent("data"), parameters: parameters)
    }

    public static func load(files: [URL], dataDirectory: URL?, parameters: [CatalogParameter: Int] = [:]) throws(CatalogErrors) -> CaseCatalog {
        var sources: [(name: String, text: String)] = []
        var errors: [CatalogError] = []
        for url in files {
            do {
                sources.append((url.path, try String(contentsOf: url, encoding: .utf8)))
            } catch {
                errors.append(CatalogError(file: url.path, line: nil, column: nil, field: "",
                                           message: "cannot read the file as UTF-8: \(error.localizedDescription)"))
            }
        }
        do {
            let catalog = try load(sources: sources, dataDirectory: dataDirectory, parameters: parameters)
            if errors.isEmpty { return catalog }
        } catch let e {
            errors += e.errors
        }
        throw CatalogErrors(errors)
    }

    /// Loads YAML texts; `name` is used as the file name in errors.
    public static func load(sources: [(name: String, text: String)], dataDirectory: URL? = nil,
                            parameters: [CatalogParameter: Int] = [:]) throws(CatalogErrors) -> CaseCatalog {
        var errors: [CatalogError] = []
        var cases: [TestCase] = []
        var sections: [Int: SectionInfo] = [:]
        var seen: [CaseID: SourceLocation] = [:]
        for source in sources {
            let parsed = parse(source.text, file: source.name, parameters: parameters)
            errors += parsed.errors
            guard let file = parsed.file else { continue }
            if var existing = sections[file.section.number] {
                if existing.title != file.section.title {
                    errors.append(CatalogError(file: source.name, line: file.titleLine, column: nil, field: "title",
                                               message: "section \(file.section.number) is titled \"\(existing.title)\" in another file"))
                }
                existing.subsections.merge(file.section.subsections) { a, _ in a }
                sections[file.section.number] = existing
            } else {
                sections[file.section.number] = file.section
            }
            for c in file.cases {
                if let first = seen[c.id] {
                    errors.append(CatalogError(file: c.source.file, line: c.source.line, column: c.source.column, field: "id",
                                               message: "duplicate case id \(c.id); first defined at \(first)"))
                    continue
                }
                seen[c.id] = c.source
                cases.append(c)
            }
        }
        guard errors.isEmpty else { throw CatalogErrors(errors) }
        return CaseCatalog(cases: cases, sections: Array(sections.values), dataDirectory: dataDirectory)
    }

    struct ParsedFile {
        var section: SectionInfo
        var titleLine: Int?
        var cases: [TestCase]
    }

    /// One file: its section and cases, and every error found in it.
    static func parse(_ text: String, file: String, parameters: [CatalogParameter: Int] = [:]) -> (file: ParsedFile?, errors: [CatalogError]) {
        let reader = NodeReader(file: file)
        let root: Node
        do {
            guard let r = try Yams.compose(yaml: text) else {
                return (nil, [CatalogError(file: file, line: 1, column: 1, field: "", message: "the file is empty")])
            }
            root = r
        } catch {
            return (nil, [yamlError(error, file: file)])
        }
        var errors: [CatalogError] = []
        do throws(CatalogError) {
            let f = try reader.fields(root, "", allowed: fileKeys, required: ["section", "title", "cases"])
            let sectionNumber = try reader.int(f[raw: "section"]!, "section")
            var section = SectionInfo(number: sectionNumber, title: try f.requiredString("title"))
            if let subs = f["subsections"] {
                    guard case let .mapping(sm) = subs else {
                    throw reader.error(subs, "subsections", "expected a mapping of subsection id to title, e.g. \"6.4\": Fail-fast on invalid UTF-8")
                }
                for (k, v) in sm {
                    let key = k.scalar?.string ?? ""
                    guard let id = CaseID(key), id.segments.count == 2, id.section == sectionNumber else {
                        throw reader.error(k, "subsections", "\"\(key)\" is not a subsection of section \(sectionNumber) (e.g. \(sectionNumber).1)")
                    }
                    section.subsections[id] = try reader.string(v, "subsections.\(key)")
                }
            }
            var templates: [String: Node] = [:]
            if let t = f["templates"] {
                guard case let .mapping(tm) = t else { throw reader.error(t, "templates", "expected a mapping of template name to partial case") }
                for (k, v) in tm {
                    guard case .mapping = v else { throw reader.error(v, "templates.\(k.scalar?.string ?? "")", "a template is a mapping of case keys") }
                    templates[k.scalar?.string ?? ""] = v
                }
            }
            let expander = CaseExpander(reader: reader, templates: templates, parameters: parameters)
            var cases: [TestCase] = []
            for (i, entry) in try reader.sequence(f[raw: "cases"]!, "cases").enumerated() {
                let field = "cases[\(i)]"
                do throws(CatalogError) {
                    for expanded in try expander.expand(entry, field: field) {
                        var r = reader
                        if let p = expanded.parameters { r.context = "(vary \(p)) " }
                        if let idNode = expanded.node.mapping?["id"], let idText = idNode.scalar?.string {
                            r.context = "case \(idText) " + r.context
                        }
                        var tc = try r.testCase(expanded.node, field)
                        tc.missingParameters = expanded.missing
                        guard tc.id.section == sectionNumber else {
                            throw r.error(expanded.node.mapping?["id"], "\(field).id",
                                          "case \(tc.id) is not in section \(sectionNumber), the section of this file")
                        }
                        cases.append(tc)
                    }
                } catch {
                    errors.append(error)
                }
            }
            return (ParsedFile(section: section, titleLine: f[raw: "title"]?.mark?.line, cases: cases), errors)
        } catch {
            return (nil, errors + [error])
        }
    }

    static func yamlError(_ error: Error, file: String) -> CatalogError {
        switch error {
        case let YamlError.scanner(context, problem, mark, _), let YamlError.parser(context, problem, mark, _),
             let YamlError.composer(context, problem, mark, _):
            let text = (context.map { "\($0.text) " } ?? "") + problem
            return CatalogError(file: file, line: mark.line, column: mark.column, field: "", message: "YAML syntax: \(text)")
        case let YamlError.duplicatedKeysInMapping(duplicates, context):
            return CatalogError(file: file, line: context.mark.line, column: context.mark.column, field: "",
                                message: "duplicate keys \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return CatalogError(file: file, line: nil, column: nil, field: "", message: "YAML error: \(error)")
        }
    }
}
