import WSJudge

extension CaseSession {
    /// Everything recorded, for the judge and the reports. Call once the case is over.
    func observation(handshake: HandshakeRecord) -> Observation {
        var sent = endpoint.closeSent
        sent?.at = closeSentAt
        var received = endpoint.closeReceived
        received?.at = closeReceivedAt
        var o = Observation(handshake: handshake, events: events, closeSent: sent, closeReceived: received,
                            closeInitiator: endpoint.closeInitiator,
                            harnessFailure: endpoint.failure.map { HarnessFailure($0, at: failureAt) },
                            tcpEnd: tcpEnd, openedAt: openedAt, endedAt: endedAt, sentFrames: endpoint.sentFrames,
                            receivedFrames: endpoint.receivedFrames, roundTrips: roundTripLog, wireLog: wireLog)
        o.eventsNotKept = droppedEvents
        return o
    }
}
