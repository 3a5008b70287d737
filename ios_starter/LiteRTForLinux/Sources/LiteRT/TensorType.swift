import CLiteRTRuntime

/// A tensor's element type, numbered as LiteRT numbers them.
public enum ElementType: UInt32 {
    case none = 0
    case float32 = 1
    case int32 = 2
    case uint8 = 3
    case int64 = 4
    case tfString = 5
    case bool = 6
    case int16 = 7
    case complex64 = 8
    case int8 = 9
    case float16 = 10
    case float64 = 11
    case complex128 = 12
    case uint64 = 13
    case tfResource = 14
    case tfVariant = 15
    case uint32 = 16
    case uint16 = 17
    case int4 = 18
    case bfloat16 = 19
    case int2 = 20
}

/// A tensor's dimensions (and strides, if any).
public struct Layout: Equatable {
    public let dimensions: [Int]
    public let strides: [Int]

    public init(dimensions: [Int], strides: [Int] = []) {
        self.dimensions = dimensions
        self.strides = strides
    }

    public var rank: Int { dimensions.count }
}

/// A tensor's element type and layout.
public struct TensorType: Equatable {
    public let elementType: ElementType
    public let layout: Layout

    public init(elementType: ElementType, layout: Layout) {
        self.elementType = elementType
        self.layout = layout
    }

    init(_ type: LiteRtRankedTensorType) {
        var layout = type.layout
        let rank = min(Int(layout.rank), Int(kLiteRtTensorMaxRank))
        let dimensions = withUnsafeBytes(of: &layout.dimensions) { Array($0.bindMemory(to: Int32.self).prefix(rank)) }
        let strides = withUnsafeBytes(of: &layout.strides) { Array($0.bindMemory(to: UInt32.self).prefix(rank)) }
        self.init(elementType: ElementType(rawValue: UInt32(bitPattern: type.element_type)) ?? .none,
                  layout: Layout(dimensions: dimensions.map(Int.init),
                                 strides: layout.has_strides != 0 ? strides.map(Int.init) : []))
    }
}
