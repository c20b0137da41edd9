extension Duration {
    /// The duration as floating-point seconds.
    var seconds: Double {
        let (whole, atto) = components
        return Double(whole) + Double(atto) * 1e-18
    }
}
