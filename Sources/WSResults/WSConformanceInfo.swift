/// Facts about this build of the library.
public enum WSConformanceInfo {
    /// The tool version written into results and the User-Agent.
    public static let version = "0.1.0"
}
