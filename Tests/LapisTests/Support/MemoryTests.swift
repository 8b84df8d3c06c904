import Testing
@testable import Lapis

@Suite("Returning freed memory")
struct MemoryTests {
    #if canImport(Glibc)
    @Test("on glibc, malloc_trim is found, so training hands its stories' freed pages back")
    func mallocTrimIsFound() {
        #expect(Memory.canReturnFreedPages)
        Memory.returnFreedPages()  // freed pages only: safe at any time
    }
    #endif
}
