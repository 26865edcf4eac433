//! A heap sort, for the two places that sort: the place names (regions) and the domains of a form
//! (duplicates). The standard library's sort (quicksort with its small-sort networks, 3.5 KB of
//! the browser module's code) and a `BTreeSet` weigh more than this few hundred bytes, which is
//! O(n log n) all the same (issue 22). Not stable: sort keys that must keep their order carry it.

/// Sorts `v` ascending.
pub(crate) fn heapsort<T: Ord>(v: &mut [T]) {
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            return;
        }
        v.swap(root, child);
        root = child;
    };
    for start in (0..v.len() / 2).rev() {
        sift(v, start, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::heapsort;

    #[test]
    fn sorts_like_the_standard_library() {
        let mut seed = 12345u32;
        for len in [0usize, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    seed % 50
                })
                .collect();
            let mut expected = v.clone();
            expected.sort();
            heapsort(&mut v);
            assert_eq!(v, expected, "length {len}");
        }
    }
}
