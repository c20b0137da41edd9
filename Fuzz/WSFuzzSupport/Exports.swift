// The fuzzing core (targets, input decoding, replay, libFuzzer driver) and the frame targets live
// in modules of their own, so that the frame fuzz executables link only the framing layer; this
// module adds the other targets and re-exports both.
@_exported import WSFuzzCore
@_exported import WSFuzzFrames
