//! The letters that choose a sort column after the sort key (`o`, then `a` for AGE): one per
//! column, derived from its header so that the same table always gets the same letters.

/// Letters never given to a column: `o` and `O` mean "next column" and "reverse" while choosing.
const RESERVED: &[char] = &['o'];

/// One lowercase letter per header: its first letter not taken by an earlier column, else any of
/// its letters not taken, else the first free letter of the alphabet.
pub fn sort_letters(headers: &[&str]) -> Vec<char> {
    let mut taken: Vec<char> = RESERVED.to_vec();
    let mut letters = Vec::with_capacity(headers.len());
    for header in headers {
        let own = header
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .map(|c| c.to_ascii_lowercase());
        let letter = own
            .clone()
            .take(1)
            .chain(own)
            .chain('a'..='z')
            .find(|c| !taken.contains(c))
            .unwrap_or('?');
        taken.push(letter);
        letters.push(letter);
    }
    letters
}

/// The column a typed letter chooses, if any.
pub fn column_for(headers: &[&str], letter: char) -> Option<usize> {
    let letter = letter.to_ascii_lowercase();
    sort_letters(headers).iter().position(|l| *l == letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_gets_its_own_letter_from_its_header() {
        let pods = crate::app::rows::POD_COLUMNS;
        assert_eq!(
            sort_letters(pods),
            ['n', 'a', 'r', 's', 'e', 'g', 'd', 'c', 'm']
        );
        let alerts = crate::app::rows::ALERT_COLUMNS;
        let letters = sort_letters(alerts);
        assert_eq!(letters, ['g', 's', 't', 'a', 'u', 'e', 'r']);
        let mut unique = letters.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), letters.len(), "no letter twice");
        assert_eq!(column_for(alerts, 'E'), Some(5), "AGE, case-insensitive");
        assert_eq!(column_for(alerts, 'o'), None, "o is next-column");
    }
}
