#if canImport(Glibc)
import Glibc
#endif

/// The process's memory as the system sees it.
enum Memory {
    /// Hands the pages of freed heap memory back to the system. glibc keeps what a program
    /// frees for its own later use, so a training run that has let go of its stories' text
    /// (hundreds of thousands of small strings) would go on holding those pages, counted in its
    /// resident size, while it builds the matrix and fits. Does nothing where the C library has
    /// no `malloc_trim` (the static musl build).
    ///
    /// - Complexity: O(the heap's free chunks).
    static func returnFreedPages() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }

    /// Whether ``returnFreedPages()`` can do anything here (glibc's `malloc_trim` was found).
    static var canReturnFreedPages: Bool {
        #if canImport(Glibc)
        return mallocTrim != nil
        #else
        return false
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not declare it.
    private static let mallocTrim: (@convention(c) (Int) -> CInt)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> CInt).self)
    }()
    #endif
}
