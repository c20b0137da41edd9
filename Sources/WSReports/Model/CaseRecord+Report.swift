import WSResultFormat

extension CaseRecord {
    /// The id, for ordering.
    public var key: CaseKey { CaseKey(id) }

    /// Show the duration: the recorded flag, else Autobahn's sections 9, 12 and 13.
    public var showsTime: Bool { reportTime ?? ["9", "12", "13"].contains(key.section) }

    /// Show compression ratios: the recorded flag, else Autobahn's sections 12 and 13.
    public var showsCompressionRatio: Bool { reportCompressionRatio ?? ["12", "13"].contains(key.section) }
}
