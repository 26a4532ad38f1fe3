/// Just enough about every visited state to rebuild a shortest path to it: two small numbers.
///
/// In BFS order the states of level k+1 appear grouped by parent, parents in level-k order. So a
/// state's parent follows from how many new successors each level-k state had (`childCounts`),
/// and its own position among its parent's successors (`ordinals`) says which one it is. Replaying
/// ordinals from the initial state rebuilds the path: about 2 bytes a state instead of a parent
/// fingerprint's 8.
@usableFromInline
struct LevelLinks: Sendable {
    /// `childCounts[k][p]`: new successors of level-k state p, i.e. its children in level k+1.
    @usableFromInline var childCounts: [ByteCounts] = []
    /// `ordinals[k][j]`: which successor of its parent level-(k+1) state j is.
    @usableFromInline var ordinals: [ByteCounts] = []
    /// Bytes held, roughly.
    @usableFromInline var memoryBytes = 0

    @inlinable init() {}

    /// Records one expanded level: the child counts of its states and the ordinals of the next level's.
    @inlinable mutating func append(childCounts counts: ByteCounts, nextOrdinals: ByteCounts) {
        childCounts.append(counts)
        ordinals.append(nextOrdinals)
        memoryBytes += counts.memoryBytes + nextOrdinals.memoryBytes
    }

    /// The successor ordinals from the initial state to state `index` of level `depth`.
    @usableFromInline func ordinalPath(depth: Int, index: Int) -> [Int] {
        var path: [Int] = []
        var j = index
        for k in stride(from: depth - 1, through: 0, by: -1) {
            path.append(ordinals[k][j])
            j = parent(ofChild: j, counts: childCounts[k])
        }
        return path.reversed()
    }

    /// The level-k index of the parent of level-(k+1) state `child`, given level k's child counts.
    func parent(ofChild child: Int, counts: ByteCounts) -> Int {
        var seen = 0
        for p in 0..<counts.count {
            seen += counts[p]
            if child < seen { return p }
        }
        preconditionFailure("child \(child) beyond the \(seen) children recorded for a level")
    }
}
