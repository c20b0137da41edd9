import ArgumentParser

/// The one line printed for a usage error: the parser's first line, without a far-fetched "Did you
/// mean" (the parser suggests any option within 3 edits: '--bogus' → '--jobs'), pointing at the help
/// of the command that was typed.
enum UsageMessage {
    static func line(_ parserMessage: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
        "\(withoutFarSuggestion(parserMessage)) (see '\(helpCommand(arguments))' for usage)"
    }

    /// `wsconform test-server --help`, `wsconform cases validate --help`, or `wsconform --help`.
    static func helpCommand(_ arguments: [String]) -> String {
        var path = ["wsconform"]
        var choices = WSConform.configuration.subcommands
        for argument in arguments where !argument.hasPrefix("-") {
            guard let next = choices.first(where: { $0._commandName == argument }) else { break }
            path.append(argument)
            choices = next.configuration.subcommands
        }
        return (path + ["--help"]).joined(separator: " ")
    }

    /// Drops "Did you mean '--x'?" unless the typed name is within a third of its length of it.
    static func withoutFarSuggestion(_ message: String) -> String {
        let pattern = /^Unknown option '(?<typed>[^']+)'\. Did you mean '(?<suggested>[^']+)'\?$/
        guard let m = message.wholeMatch(of: pattern) else { return message }
        let typed = m.typed.drop { $0 == "-" }, suggested = m.suggested.drop { $0 == "-" }
        if editDistance(Array(typed), Array(suggested)) <= max(1, typed.count / 3) { return message }
        return "Unknown option '\(m.typed)'"
    }

    /// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
