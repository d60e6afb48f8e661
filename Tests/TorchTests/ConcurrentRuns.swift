/// What `tasks` concurrent tasks each running `body` return, in the order they finish: the
/// shape of every "many tasks at once give the sequential result" test.
func concurrentResults(_ tasks: Int, _ body: @escaping @Sendable () -> [Float]) async -> [[Float]] {
    await withTaskGroup(of: [Float].self) { group in
        for _ in 0..<tasks { group.addTask(operation: body) }
        var all: [[Float]] = []
        for await result in group { all.append(result) }
        return all
    }
}
