import Foundation
import LapisDefaultModelBytes

/// The default four-topic model shipped with Lapis.
///
/// Its bytes are compiled into every binary that links Lapis (`Models/Embedded`, C23 `#embed`
/// of `default.lapis`), so a `lapis` executable copied anywhere, or a program of another package
/// that depends on Lapis, has the model without any file beside it. `LAPIS_DEFAULT_MODEL`
/// names a model file to use instead.
public enum DefaultModelResource {
    /// The file name of the default topic model in the source tree.
    public static let fileName = "default.lapis"

    /// The environment variable that, when set and not empty, names a model file to use
    /// instead of the built-in one.
    public static let overrideVariable = "LAPIS_DEFAULT_MODEL"

    /// What stands for the built-in model's path in error messages.
    public static let embeddedName = "default.lapis (built in)"

    /// The bytes of the built-in model (a fresh copy: about 2 MB).
    public static var embeddedBytes: [UInt8] {
        Array(UnsafeBufferPointer(start: lapis_default_model_bytes(), count: lapis_default_model_count()))
    }

    /// The path in `LAPIS_DEFAULT_MODEL`, or nil when it is unset or empty (then the built-in
    /// model is the default). Taken as it is: an error later if the file does not exist, never
    /// passed over for the built-in model.
    public static var overridePath: String? {
        guard let value = ProcessInfo.processInfo.environment[overrideVariable], !value.isEmpty else { return nil }
        return value
    }
}
