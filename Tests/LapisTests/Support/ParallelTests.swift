import Testing
@testable import Lapis

@Suite("Parallel")
struct ParallelTests {
    @Test("mapChunks keeps input order and hands every item to exactly one chunk", arguments: [0, 1, 15, 64, 1000])
    func mapChunksKeepsOrder(count: Int) {
        let items = Array(0..<count)
        let mapped = Parallel.mapChunks(items, chunks: 7, minimumChunk: 4) { chunk in chunk.map { $0 * 3 } }
        #expect(mapped == items.map { $0 * 3 })
    }

    @Test("each chunk is one contiguous run, so per-chunk state sees its items in order")
    func chunksAreContiguous() {
        let items = Array(0..<500)
        let firsts = Parallel.mapChunks(items, chunks: 4, minimumChunk: 10) { chunk -> [Int] in
            #expect(Array(chunk) == Array(chunk.first!...chunk.last!))
            return [chunk.first!]
        }
        #expect(firsts.count == 4 && firsts == firsts.sorted())
    }
}
