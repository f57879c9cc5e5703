package protocol

// MerkleParent returns SHA256(left || right).
func MerkleParent(left, right Hash) Hash { return Sha(left[:], right[:]) }

// MerkleRoot returns the Factom Merkle root of leaves: pairs are hashed
// with SHA256(left || right) and an odd last node pairs with itself. The
// root of no leaves is the zero hash; of one leaf, the leaf itself.
func MerkleRoot(leaves []Hash) Hash {
	if len(leaves) == 0 {
		return Hash{}
	}
	level := append([]Hash(nil), leaves...)
	for len(level) > 1 {
		next := level[:0:0]
		for i := 0; i < len(level); i += 2 {
			j := min(i+1, len(level)-1)
			next = append(next, MerkleParent(level[i], level[j]))
		}
		level = next
	}
	return level[0]
}

// MerkleNode is one step of a Merkle branch, as factomd's receipts write
// it: the two children and their parent. A verifier may leave out the side
// that equals the running hash.
type MerkleNode struct {
	Left  *Hash `json:"left,omitempty"`
	Right *Hash `json:"right,omitempty"`
	Top   *Hash `json:"top,omitempty"`
}

// MerkleBranch returns the branch from leaves[index] to the root, with
// full detail (left, right and top on every node), as factomd builds it.
// It returns nil when index is out of range or there is a single leaf.
func MerkleBranch(leaves []Hash, index int) []MerkleNode {
	if index < 0 || index >= len(leaves) {
		return nil
	}
	var out []MerkleNode
	level := append([]Hash(nil), leaves...)
	for len(level) > 1 {
		var l, r Hash
		if index%2 == 0 {
			l, r = level[index], level[min(index+1, len(level)-1)]
		} else {
			l, r = level[index-1], level[index]
		}
		top := MerkleParent(l, r)
		out = append(out, MerkleNode{Left: &l, Right: &r, Top: &top})
		next := level[:0:0]
		for i := 0; i < len(level); i += 2 {
			next = append(next, MerkleParent(level[i], level[min(i+1, len(level)-1)]))
		}
		level, index = next, index/2
	}
	return out
}
