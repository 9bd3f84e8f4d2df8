//! An item's text (a token stream as proc-macro2 prints it) read back as a light token tree
//! that borrows the text.
//!
//! Reading a proc-macro2 group's tokens copies them (`Group::stream` shares them, and iterating
//! a shared stream clones each token, every identifier's text included): the names an item
//! mentions ([`super::shape`]) were two fifths of cutting GitHub's and Microsoft Graph's
//! modules. The cut has the item's text already; this reads it without copying a name.

/// A token, or a delimited group of them.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Tree<'a> {
    /// An identifier or keyword, `r#` included when raw.
    Ident(&'a str),
    /// One punctuation character (proc-macro2's `Punct`; `::` is two).
    Punct(char),
    /// `(…)`, `[…]` or `{…}`, by its opening character.
    Group(char, Vec<Tree<'a>>),
    /// A string literal `"…"`, quotes and escapes as written.
    Str(&'a str),
    /// Any other literal (numbers, characters, byte and raw strings), as written.
    Literal(&'a str),
}

/// The trees of `text`. Text that is not tokens (it always is: it was printed from tokens)
/// reads as far as it goes; an unclosed group ends with the text.
pub(super) fn trees(text: &str) -> Vec<Tree<'_>> {
    let mut lexer = Lexer { text, at: 0 };
    lexer.trees(None)
}

/// The trees of `text` before its first `{ … }` block at the top (an item's attributes,
/// visibility, keyword, name and generics, not its body): what tells a definition's name and
/// doc comment, without reading the rest.
pub(super) fn head(text: &str) -> Vec<Tree<'_>> {
    let mut lexer = Lexer { text, at: 0 };
    let mut out = Vec::new();
    while let Some(b) = lexer.peek() {
        if b == b'{' {
            break;
        }
        if b.is_ascii_whitespace() {
            lexer.at += 1;
        } else if let Some(closing) = closing(b) {
            lexer.at += 1;
            out.push(Tree::Group(b as char, lexer.trees(Some(closing))));
        } else {
            out.push(lexer.token(b));
        }
    }
    out
}

struct Lexer<'a> {
    text: &'a str,
    at: usize,
}

/// Whether `b` continues an identifier: ASCII letters, digits and `_`, and any byte of a
/// non-ASCII character (outside literals, only identifiers hold them).
fn continues_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

impl<'a> Lexer<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn trees(&mut self, close: Option<u8>) -> Vec<Tree<'a>> {
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.at += 1;
            } else if Some(b) == close {
                self.at += 1;
                return out;
            } else if let Some(closing) = closing(b) {
                self.at += 1;
                out.push(Tree::Group(b as char, self.trees(Some(closing))));
            } else if matches!(b, b')' | b']' | b'}') {
                // A stray closing delimiter: not printed tokens; skipped.
                self.at += 1;
            } else {
                out.push(self.token(b));
            }
        }
        out
    }

    fn token(&mut self, b: u8) -> Tree<'a> {
        let start = self.at;
        match b {
            b'"' => {
                self.string();
                return Tree::Str(&self.text[start..self.at]);
            }
            b'\'' => return self.quote(),
            b'0'..=b'9' => {
                self.take_while(|b| continues_ident(b) || b == b'.');
                return Tree::Literal(&self.text[start..self.at]);
            }
            _ if continues_ident(b) => {}
            _ => {
                // Punctuation is ASCII; anything else is skipped whole.
                let width = self.text[self.at..].chars().next().map_or(1, char::len_utf8);
                self.at += width;
                return Tree::Punct(b as char);
            }
        }
        self.take_while(continues_ident);
        let word = &self.text[start..self.at];
        let next = self.peek();
        match (word, next) {
            // A raw identifier.
            ("r", Some(b'#'))
                if self.bytes().get(self.at + 1).is_some_and(|&b| continues_ident(b) && !b.is_ascii_digit()) =>
            {
                self.at += 1;
                self.take_while(continues_ident);
                Tree::Ident(&self.text[start..self.at])
            }
            // Raw strings, byte and C strings, byte characters.
            ("r" | "br" | "cr", Some(b'#' | b'"')) => {
                self.raw_string();
                Tree::Literal(&self.text[start..self.at])
            }
            ("b" | "c", Some(b'"')) => {
                self.string();
                Tree::Literal(&self.text[start..self.at])
            }
            ("b", Some(b'\'')) => {
                self.quote();
                Tree::Literal(&self.text[start..self.at])
            }
            _ => Tree::Ident(word),
        }
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
    }

    /// A `"…"` string from its opening quote.
    fn string(&mut self) {
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => break,
                _ => {}
            }
        }
        self.at = self.at.min(self.text.len());
    }

    /// `r#"…"#` from its `#`s or opening quote.
    fn raw_string(&mut self) {
        let hashes = self.bytes()[self.at..].iter().take_while(|&&b| b == b'#').count();
        self.at += hashes + 1;
        let end = format!("\"{}", "#".repeat(hashes));
        match self.text[self.at..].find(&end) {
            Some(i) => self.at += i + end.len(),
            None => self.at = self.text.len(),
        }
    }

    /// From a `'`: a character literal (a literal), or a lifetime's quote (a punct, its name
    /// read next as an identifier, as proc-macro2 holds it).
    fn quote(&mut self) -> Tree<'a> {
        let start = self.at;
        self.at += 1;
        let mut chars = self.text[self.at..].chars();
        match (chars.next(), chars.next()) {
            (Some('\\'), Some(escaped)) => {
                // The backslash and the character it escapes (`'\''` included), then the rest
                // of a longer escape (`'\u{e9}'`) up to the closing quote.
                self.at += 1 + escaped.len_utf8();
                self.take_while(|b| b != b'\'');
                self.at = (self.at + 1).min(self.text.len());
                Tree::Literal(&self.text[start..self.at])
            }
            (Some(c), Some('\'')) => {
                self.at += c.len_utf8() + 1;
                Tree::Literal(&self.text[start..self.at])
            }
            _ => Tree::Punct('\''),
        }
    }
}

fn closing(open: u8) -> Option<u8> {
    match open {
        b'(' => Some(b')'),
        b'[' => Some(b']'),
        b'{' => Some(b'}'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// The tree of tokens, built from proc-macro2's own, to compare with the text's.
    fn expected(stream: proc_macro2::TokenStream, text: &str) -> Vec<Tree<'_>> {
        use proc_macro2::TokenTree;
        stream
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let at = text.find(&name).expect("the text has every name");
                    Tree::Ident(&text[at..at + name.len()])
                }
                TokenTree::Punct(punct) => Tree::Punct(punct.as_char()),
                TokenTree::Group(group) => {
                    let open = match group.delimiter() {
                        proc_macro2::Delimiter::Parenthesis => '(',
                        proc_macro2::Delimiter::Bracket => '[',
                        proc_macro2::Delimiter::Brace => '{',
                        proc_macro2::Delimiter::None => ' ',
                    };
                    Tree::Group(open, expected(group.stream(), text))
                }
                TokenTree::Literal(literal) => {
                    let written = literal.to_string();
                    let at = &text[text.find(&written).expect("the text has it")..][..written.len()];
                    match written.starts_with('"') {
                        true => Tree::Str(at),
                        false => Tree::Literal(at),
                    }
                }
            })
            .collect()
    }

    #[test]
    fn printed_tokens_read_back_as_the_tokens_they_were() {
        let cases = [
            quote! {
                #[doc = "A \"quoted\" ] bracket, a { brace"]
                #[serde(default = "defaults::pet_age", rename = "r#type")]
                pub struct Pet<'a> { pub r#type: &'a str, pub age: Option<u8>, pub tag: ::std::vec::Vec<Tag> }
            },
            quote! {
                impl<'de> Deserialize<'de> for Kind {
                    fn f(x: u8) -> char { let _ = (b'x', b"bytes", br##"raw "# ok"##, r"raw", 1.5e3, 0x1Fu8, -1i64); match x { 0..=9 => '\'', _ => 'é' } }
                }
            },
            quote! { pub enum Source { Repository, Owner(Owner), Other { team: Team } } },
        ];
        for tokens in cases {
            let text = tokens.to_string();
            assert_eq!(trees(&text), expected(tokens, &text), "{text}");
        }
    }

    #[test]
    fn the_head_stops_at_the_body() {
        let text = quote! { #[doc = "A { brace"] #[derive(Debug)] pub struct Pet<T> where T: Copy { pub age: u8 } }
            .to_string();
        let head = head(&text);
        assert_eq!(head.first(), Some(&Tree::Punct('#')));
        assert!(matches!(&head[1], Tree::Group('[', inner) if inner[2] == Tree::Str("\"A { brace\"")));
        assert_eq!(head.last(), Some(&Tree::Ident("Copy")));
        assert!(!head.iter().any(|t| matches!(t, Tree::Group('{', _))), "{head:?}");
    }
}
