//! Union-find with cannot-link constraints.
//!
//! Each set carries the constraint sides its members are on (`Distinct`
//! judgement k puts whatever is called `a` on side `2k` and whatever is
//! called `b` on side `2k+1`) and an isolation tag (a `Split` judgement's
//! alias units get their own tag; untagged units have tag 0). A union is
//! refused when it would put both sides of one constraint in a set, or two
//! different tags.

/// A disjoint-set forest over `0..n`, union by size, path halving.
#[derive(Clone, Debug)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
    /// Sorted constraint sides of each root (most sets have none).
    sides: Vec<Vec<u32>>,
    tag: Vec<u32>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            sides: vec![Vec::new(); n],
            tag: vec![0; n],
        }
    }

    /// Puts element `x` on constraint side `side`.
    pub(crate) fn add_side(&mut self, x: usize, side: u32) {
        let r = self.find(x);
        if let Err(k) = self.sides[r].binary_search(&side) {
            self.sides[r].insert(k, side);
        }
    }

    /// Gives element `x` (a singleton) an isolation tag.
    pub(crate) fn set_tag(&mut self, x: usize, tag: u32) {
        let r = self.find(x);
        self.tag[r] = tag;
    }

    pub(crate) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }

    /// Whether `a` and `b` could be joined without breaking a constraint.
    pub(crate) fn allowed(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        ra == rb || (self.tag[ra] == self.tag[rb] && !clash(&self.sides[ra], &self.sides[rb]))
    }

    /// Joins the sets of `a` and `b`. Returns false (and changes nothing)
    /// when a constraint forbids it; true when joined or already one set.
    pub(crate) fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        if !self.allowed(ra, rb) {
            return false;
        }
        let (big, small) = if self.size[ra] >= self.size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small] = big as u32;
        self.size[big] += self.size[small];
        if !self.sides[small].is_empty() {
            let moved = std::mem::take(&mut self.sides[small]);
            let merged = &mut self.sides[big];
            merged.extend(moved);
            merged.sort_unstable();
            merged.dedup();
        }
        true
    }
}

/// Two sorted side lists clash when one holds side `2k` and the other `2k+1`.
fn clash(a: &[u32], b: &[u32]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a.iter().any(|&s| b.binary_search(&(s ^ 1)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_propagate_through_unions() {
        let mut uf = UnionFind::new(5);
        uf.add_side(0, 0);
        uf.add_side(1, 1);
        assert!(uf.union(0, 2));
        assert!(uf.union(1, 3));
        assert!(
            !uf.union(2, 3),
            "2 carries side 0 from 0, 3 carries side 1 from 1"
        );
        assert!(uf.union(2, 4));
        assert!(!uf.union(4, 1));
        assert_ne!(uf.find(0), uf.find(1));
    }

    #[test]
    fn tags_isolate() {
        let mut uf = UnionFind::new(3);
        uf.set_tag(0, 7);
        uf.set_tag(1, 7);
        assert!(!uf.union(0, 2));
        assert!(uf.union(0, 1));
        assert_ne!(uf.find(0), uf.find(2));
    }
}
