/// What a rate counts. Samples store plain units per second; this only affects display.
enum RateUnit: String, Codable {
    case framesPerSecond = "frames/s"
    /// Decimal gigabytes (1e9 bytes) per second.
    case gigabytesPerSecond = "GB/s"

    /// Formats a rate given in frames or bytes per second.
    func format(_ rate: Double) -> String {
        switch self {
        case .framesPerSecond: fixed(rate / 1e6, digits: 2) + " M frames/s"
        case .gigabytesPerSecond: fixed(rate / 1e9, digits: rate < 1e9 ? 3 : 2) + " GB/s"
        }
    }
}

/// `value` with exactly `digits` decimals (no Foundation formatter needed).
func fixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale), fraction = scaled % Int(scale)
    guard digits > 0 else { return String(whole) }
    let fractionText = String(fraction)
    return "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
}
