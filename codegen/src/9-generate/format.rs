//! Formats generated tokens as Rust source one item at a time.
//!
//! The usual way, `syn::parse2::<syn::File>` then `prettyplease::unparse`, holds the syntax tree
//! of the whole client at once. For Microsoft Graph that tree took 38 s to build and most of a
//! 12 GB peak, and on GitHub's spec the parse alone cost twice what progenitor does. Here the
//! token stream is cut into top-level items (entering `mod` bodies), and each item is parsed,
//! printed and dropped before the next, so memory holds one item's tree at a time.
//!
//! The text is the same, byte for byte, as printing the whole file: prettyplease ends every item
//! with a line break and decides its line breaks within the item, so what differs between an
//! item alone and in its file is only the indentation, which wrapping it in as many `mod`s as it
//! is deep reproduces (a test compares both ways). When a cut does not parse, [`format_file`]
//! prints the whole file the usual way; a client or webhooks module, whose tokens the cut takes
//! as it goes ([`cut_file_consuming`]), fails with an internal error instead.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// Formats `tokens` as a Rust file.
///
/// # Errors
/// When the tokens are not a Rust file.
pub fn format_file(tokens: TokenStream) -> syn::Result<String> {
    format_file_with(tokens, &|_| {})
}

/// A change made to each item's syntax tree before it is printed.
pub type ItemFix<'a> = &'a (dyn Fn(&mut syn::File) + Sync);

/// Formats `tokens` as a Rust file, applying `fix` to each item's syntax tree first (the tree
/// of a single item, inside as many placeholder modules as it is deep).
///
/// # Errors
/// When the tokens are not a Rust file.
pub fn format_file_with(tokens: TokenStream, fix: ItemFix<'_>) -> syn::Result<String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let printed = cut_file(&trees).and_then(|root| {
        let mut pieces = Vec::new();
        flatten(root, &mut pieces);
        print_pieces(pieces, fix)
    });
    match printed {
        Ok(text) => Ok(text),
        Err(_) => whole_file_with(trees.into_iter().collect(), fix),
    }
}

/// A module as cut: its frame, and its items and modules in order.
pub(crate) struct Scope {
    /// The module's name; empty for the file.
    pub name: String,
    /// How many modules deep it is (0 for the file).
    pub depth: usize,
    /// What prints before its items: the file's inner attributes, or `pub mod name {` and the
    /// module's.
    pub header: String,
    /// What prints after them (`}`).
    pub footer: String,
    pub entries: Vec<Entry>,
}

pub(crate) enum Entry {
    Item(CutItem),
    Module(Scope),
}

/// One item: its tokens as text (token streams cannot cross threads) and its shape.
pub(crate) struct CutItem {
    pub source: String,
    pub shape: crate::generate::layout::shape::Shape,
    /// Its tokens, for the pass that reads them before the module is laid out (writing
    /// structs' `Deserialize`): reading them again from `source` costs a lexing. Empty where an
    /// item was made from text, or is not a struct.
    pub trees: Vec<TokenTree>,
    /// The item as printed at the top of a file without a `cfg`, when it was printed where it
    /// was cut (the operation builders, on their own thread: see [`SharedCut`]).
    pub printed: Option<String>,
}

impl CutItem {
    /// The item `trees` make; `methods` asks for an inherent impl's methods apart (see
    /// [`crate::generate::layout::shape::shape`]).
    pub(crate) fn of(trees: Vec<TokenTree>, methods: bool) -> Self {
        let source = trees.iter().cloned().collect::<TokenStream>().to_string();
        let shape = crate::generate::layout::shape::shape(&trees, &source, methods);
        Self { source, shape, trees, printed: None }
    }

    /// Its tokens: those it was cut with, else read from its text; `None` when the text is
    /// not tokens (it always is: it was printed from tokens).
    pub(crate) fn tokens(&self) -> Option<std::borrow::Cow<'_, [TokenTree]>> {
        if !self.trees.is_empty() {
            return Some(std::borrow::Cow::Borrowed(&self.trees));
        }
        let stream = self.source.parse::<TokenStream>().ok()?;
        Some(std::borrow::Cow::Owned(stream.into_iter().collect()))
    }
}

/// Cuts a file into its modules and items, leaving `trees` as they were (for printing them
/// the usual way when the cut fails).
pub(crate) fn cut_file(trees: &[TokenTree]) -> syn::Result<Scope> {
    cut_file_consuming(trees.to_vec())
}

/// Cuts a file into its modules and items, dropping each item's tokens once it is cut unless
/// a pass reads them ([`push_new_item`]). On Microsoft Graph the module's tokens are over a
/// gigabyte: cutting from a borrowed copy held them all, and a copy of each module's body,
/// until the cut ended, the run's peak. Nothing is left to print the usual way when it fails.
pub(crate) fn cut_file_consuming(trees: Vec<TokenTree>) -> syn::Result<Scope> {
    let mut trees = Trees::new(trees.into_iter());
    let inner_attributes = take_inner_attributes(&mut trees);
    let header = if inner_attributes.is_empty() { String::new() } else { frame(&[], &inner_attributes, 0)?.0 };
    drop(inner_attributes);
    let mut root = Scope { name: String::new(), depth: 0, header, footer: String::new(), entries: Vec::new() };
    cut(&mut trees, &mut root)?;
    Ok(root)
}

/// Tokens moved out of a stream one at a time, with a look at the next few (where an item
/// ends, whether a `#` begins an inner attribute).
struct Trees<I: Iterator<Item = TokenTree>> {
    rest: I,
    ahead: std::collections::VecDeque<TokenTree>,
}

impl<I: Iterator<Item = TokenTree>> Trees<I> {
    fn new(rest: I) -> Self {
        Self { rest, ahead: std::collections::VecDeque::new() }
    }

    /// The token `n` places ahead, without taking it.
    fn peek(&mut self, n: usize) -> Option<&TokenTree> {
        while self.ahead.len() <= n {
            self.ahead.push_back(self.rest.next()?);
        }
        self.ahead.get(n)
    }
}

impl<I: Iterator<Item = TokenTree>> Iterator for Trees<I> {
    type Item = TokenTree;

    fn next(&mut self) -> Option<TokenTree> {
        self.ahead.pop_front().or_else(|| self.rest.next())
    }
}

/// Takes the leading `#![...]` attributes of `trees`.
fn take_inner_attributes(trees: &mut Trees<impl Iterator<Item = TokenTree>>) -> Vec<TokenTree> {
    let mut attributes = Vec::new();
    loop {
        let hash = matches!(trees.peek(0), Some(TokenTree::Punct(p)) if p.as_char() == '#');
        let bang = matches!(trees.peek(1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        let group = matches!(trees.peek(2), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket);
        if !(hash && bang && group) {
            return attributes;
        }
        attributes.extend(trees.by_ref().take(3));
    }
}

/// An item cut from tokens on another thread: its text and shape, without its tokens (token
/// streams cannot cross threads), and printed when it was asked to be.
pub(crate) struct CutText {
    pub source: String,
    pub shape: crate::generate::layout::shape::Shape,
    pub printed: Option<String>,
}

/// The items of one module seen so far, by their text's hash, so that an item repeated in it is
/// dropped without holding a second copy of every item's text (on Microsoft Graph the cut's
/// copies were hundreds of MB, held while the module was merged).
#[derive(Default)]
struct Seen(std::collections::HashMap<u64, Vec<usize>, std::hash::BuildHasherDefault<rustc_hash::FxHasher>>);

impl Seen {
    /// Whether `text` is new, `kept(i)` being the text of the `i`th kept item; when it is, it is
    /// recorded as kept at `at`.
    fn first<'k>(&mut self, text: &str, at: usize, kept: impl Fn(usize) -> Option<&'k str>) -> bool {
        use std::hash::BuildHasher;
        let hash = std::hash::BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text);
        let same = self.0.entry(hash).or_default();
        if same.iter().any(|&i| kept(i) == Some(text)) {
            return false;
        }
        same.push(at);
        true
    }
}

/// The operation builders, cut on two threads: [`Self::claim_and_cut`] runs on a thread of its
/// own from the start (printing as it goes) and, once the module needs the builders, on the
/// module's thread too; [`in_order`] puts what both cut back in order.
///
/// Each builder is claimed by one thread (an atomic counter), emitted from the plan there, cut
/// as the cut does an item of a module below the root and its tokens dropped before the next:
/// nothing holds tokens when a thread returns (token streams cannot cross threads). Until
/// `stop` is set, each item is also printed from its tokens, as [`print_pieces`] would print it
/// at the top of a part without a `cfg` (where a large module's builders go): printing is most
/// of a large API's run, and this thread has the tokens already. Once the module needs the
/// items they are only cut, by both threads: on Microsoft Graph the module's thread waited
/// 0.6-1.3 s for the other to cut what was left.
pub(crate) struct SharedCut<'a, E> {
    count: usize,
    emit: E,
    fix: ItemFix<'a>,
    next: std::sync::atomic::AtomicUsize,
    stop: std::sync::atomic::AtomicBool,
}

/// The builders one thread cut: each claimed builder's index and its items.
pub(crate) type Claimed = Vec<(usize, Vec<CutText>)>;

impl<'a, E: Fn(usize) -> TokenStream + Sync> SharedCut<'a, E> {
    /// The `count` builders `emit(i)` makes, printed with `fix` until [`Self::stop`].
    pub(crate) fn new(count: usize, emit: E, fix: ItemFix<'a>) -> Self {
        Self {
            count,
            emit,
            fix,
            next: std::sync::atomic::AtomicUsize::new(0),
            stop: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// From now on, items are only cut, not printed.
    pub(crate) fn stop(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Claims builders until none is left, cutting (and, until [`Self::stop`], printing) each.
    pub(crate) fn claim_and_cut(&self) -> Claimed {
        use std::sync::atomic::Ordering::Relaxed;
        let mut out = Vec::new();
        loop {
            let index = self.next.fetch_add(1, Relaxed);
            if index >= self.count {
                return out;
            }
            let trees: Vec<TokenTree> = (self.emit)(index).into_iter().collect();
            let items = split_items(&trees)
                .into_iter()
                .map(|item| {
                    let source = item.iter().cloned().collect::<TokenStream>().to_string();
                    let shape = crate::generate::layout::shape::shape(item, &source, false);
                    let printed = if self.stop.load(Relaxed) { None } else { print_item(item, self.fix).ok() };
                    CutText { source, shape, printed }
                })
                .collect();
            out.push((index, items));
        }
    }
}

/// The builders both threads of a [`SharedCut`] cut, in the builders' order, an item repeated
/// among them dropped.
pub(crate) fn in_order(parts: Vec<Claimed>) -> Vec<CutText> {
    let mut claimed: Claimed = parts.into_iter().flatten().collect();
    claimed.sort_unstable_by_key(|(index, _)| *index);
    let mut seen = Seen::default();
    let mut out: Vec<CutText> = Vec::new();
    for item in claimed.into_iter().flat_map(|(_, items)| items) {
        if seen.first(&item.source, out.len(), |i| out.get(i).map(|kept| kept.source.as_str())) {
            out.push(item);
        }
    }
    out
}

/// One item printed from its tokens, as [`print_piece`] prints its text at depth 0 without
/// features.
fn print_item(item: &[TokenTree], fix: ItemFix<'_>) -> syn::Result<String> {
    let mut file: syn::File = syn::parse2(item.iter().cloned().collect())?;
    fix(&mut file);
    Ok(prettyplease::unparse(&file))
}

/// Adds `items` ([`SharedCut`]) to the module `name` of `root`, after its items, leaving out an
/// item that module has already. The items keep no tokens, so no pass that reads tokens (merging
/// types, lean `Deserialize`) may need them: they are operation builders.
///
/// # Errors
/// When `root` has no module `name`.
pub(crate) fn push_into_module(root: &mut Scope, name: &str, items: Vec<CutText>) -> syn::Result<()> {
    let Some(scope) = root.entries.iter_mut().find_map(|entry| match entry {
        Entry::Module(module) if module.name == name => Some(module),
        _ => None,
    }) else {
        return Err(syn::Error::new(Span::call_site(), format!("the module has no `{name}` module to emit into")));
    };
    let present: HashSet<&str> = scope
        .entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Item(item) => Some(item.source.as_str()),
            Entry::Module(_) => None,
        })
        .collect();
    let new: Vec<CutText> = items.into_iter().filter(|item| !present.contains(item.source.as_str())).collect();
    scope.entries.extend(
        new.into_iter().map(|CutText { source, shape, printed }| {
            Entry::Item(CutItem { source, shape, trees: Vec::new(), printed })
        }),
    );
    Ok(())
}

/// The pieces that print `scope` as one text, in order.
pub(crate) fn flatten(scope: Scope, pieces: &mut Vec<Piece>) {
    if !scope.header.is_empty() {
        pieces.push(Piece::Printed(scope.header));
    }
    for entry in scope.entries {
        match entry {
            Entry::Item(item) => pieces.push(Piece::Item {
                source: item.source,
                depth: scope.depth,
                features: Vec::new(),
                printed: None,
            }),
            Entry::Module(inner) => flatten(inner, pieces),
        }
    }
    if !scope.footer.is_empty() {
        pieces.push(Piece::Printed(scope.footer));
    }
}

/// The usual way: one syntax tree for the whole file.
pub fn whole_file(tokens: TokenStream) -> syn::Result<String> {
    whole_file_with(tokens, &|_| {})
}

fn whole_file_with(tokens: TokenStream, fix: ItemFix<'_>) -> syn::Result<String> {
    let mut file: syn::File = syn::parse2(tokens)?;
    drop_repeated_items(&mut file.items);
    fix(&mut file);
    Ok(prettyplease::unparse(&file))
}

/// As [`cut`] does, for a whole syntax tree: in each module, an item with the same tokens as
/// an earlier one is dropped.
fn drop_repeated_items(items: &mut Vec<syn::Item>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(quote::ToTokens::to_token_stream(item).to_string()));
    for item in items.iter_mut() {
        if let syn::Item::Mod(syn::ItemMod { content: Some((_, inner)), .. }) = item {
            drop_repeated_items(inner);
        }
    }
}

/// A part of the output: text already printed (a module's frame), or an item to print.
pub(crate) enum Piece {
    Printed(String),
    /// An item's tokens as text (token streams cannot cross threads) and how deep it sits.
    Item {
        source: String,
        depth: usize,
        /// The cargo features it compiles under, any of them (none: always). Set on every item
        /// the fixes leave, as they may add some (an enum's `impl`).
        features: Vec<String>,
        /// The item already printed, at depth 0 and without features ([`SharedCut`]).
        printed: Option<String>,
    },
}

/// Cuts the items of a file or module into `scope`, entering module bodies, taking each
/// item's tokens out of `trees` as it goes. Only structs keep theirs (lean `Deserialize` reads
/// them; merging identical types reads the text): on Microsoft Graph the module's tokens are
/// over a gigabyte.
fn cut(trees: &mut Trees<impl Iterator<Item = TokenTree>>, scope: &mut Scope) -> syn::Result<()> {
    // typify names the type of a property it merges from `allOf` members after its parent and
    // the property (`Team` + `links`); when a component already has that name (`team_links`)
    // and the merge gives the same schema, it emits the same struct, its builder and their
    // impls a second time, and the client does not compile (E0428, E0119). Two items with the
    // same tokens in one module can only be such a repeat, so the second is dropped; items that
    // share a name but differ are left for the compiler to report.
    let mut seen = Seen::default();
    let mut item = Vec::new();
    while let Some(tree) = trees.next() {
        let ends = ends_item(&tree, trees.peek(0));
        item.push(tree);
        if ends {
            cut_item(std::mem::take(&mut item), scope, &mut seen)?;
        }
    }
    if !item.is_empty() {
        cut_item(item, scope, &mut seen)?;
    }
    Ok(())
}

/// Adds one item to `scope`: a module with a body is cut into a scope of its own.
fn cut_item(mut item: Vec<TokenTree>, scope: &mut Scope, seen: &mut Seen) -> syn::Result<()> {
    let Some(body) = take_module_body(&mut item) else {
        push_new_item(scope, seen, item);
        return Ok(());
    };
    let mut body = Trees::new(body.into_iter());
    let inner = take_inner_attributes(&mut body);
    let (header, footer) = frame(&item, &inner, scope.depth)?;
    let name = match item.as_slice() {
        [.., TokenTree::Ident(name)] => name.to_string(),
        _ => String::new(),
    };
    let mut module = Scope { name, depth: scope.depth + 1, header, footer, entries: Vec::new() };
    cut(&mut body, &mut module)?;
    scope.entries.push(Entry::Module(module));
    Ok(())
}

/// Whether `tree` ends an item, `next` following it: a `;`, or a `{ ... }` block followed by
/// the start of another item (an attribute or an item keyword) or by nothing. A wrong cut
/// fails to parse when printed.
fn ends_item(tree: &TokenTree, next: Option<&TokenTree>) -> bool {
    match tree {
        TokenTree::Punct(punct) => punct.as_char() == ';',
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => match next {
            None => true,
            Some(TokenTree::Punct(next)) => next.as_char() == '#',
            Some(TokenTree::Ident(next)) => ITEM_START.contains(&next.to_string().as_str()),
            Some(_) => false,
        },
        _ => false,
    }
}

/// For a module with a non-empty body (`#[attr] pub mod name { ... }`): takes the body off
/// `item`, leaving what comes before the braces. The body's tokens are the module's own
/// (nothing else holds the group), so they are moved out, not copied, as they are read.
fn take_module_body(item: &mut Vec<TokenTree>) -> Option<TokenStream> {
    let [.., TokenTree::Ident(keyword), TokenTree::Ident(_), TokenTree::Group(body)] = item.as_slice() else {
        return None;
    };
    if *keyword != "mod" || body.delimiter() != Delimiter::Brace || body.stream().is_empty() {
        return None;
    }
    match item.pop() {
        Some(TokenTree::Group(body)) => Some(body.stream()),
        _ => None,
    }
}

/// Whether the group at `index` of `trees` is a module's body (`mod name { … }`): where the
/// scans of a module's tokens for item definitions look, and the only groups they enter.
pub(crate) fn opens_module_body(trees: &[TokenTree], index: usize) -> bool {
    matches!(&trees[index], TokenTree::Group(group) if group.delimiter() == Delimiter::Brace)
        && matches!(&trees[..index], [.., TokenTree::Ident(word), TokenTree::Ident(_)] if word == "mod")
}

/// Adds `item` to `scope` unless an item with the same tokens is there already (`seen`), with
/// its tokens when it is a struct (see [`cut`]; an item without them is read again from its
/// text when a pass needs it, [`CutItem::tokens`]).
fn push_new_item(scope: &mut Scope, seen: &mut Seen, item: Vec<TokenTree>) {
    let source = item.iter().cloned().collect::<TokenStream>().to_string();
    let kept = |i: usize| match scope.entries.get(i) {
        Some(Entry::Item(kept)) => Some(kept.source.as_str()),
        _ => None,
    };
    if seen.first(&source, scope.entries.len(), kept) {
        // Only a module's own inherent impls (the client's) are split into methods.
        let shape = crate::generate::layout::shape::shape(&item, &source, scope.depth == 0);
        let keep = shape.kind == crate::generate::layout::shape::Kind::Struct;
        let trees = if keep { item } else { Vec::new() };
        scope.entries.push(Entry::Item(CutItem { source, shape, trees, printed: None }));
    }
}

/// Prints the items on every core (each worker takes the next piece not yet taken) and joins
/// them in order.
pub(crate) fn print_pieces(pieces: Vec<Piece>, fix: ItemFix<'_>) -> syn::Result<String> {
    Ok(print_files(vec![pieces], fix)?.concat())
}

/// Prints the pieces of several files, each file's text its pieces joined in order. A large
/// API is thousands of small files: the workers are started once per batch of files of a few
/// thousand pieces, not once per file (each start costs the threads and their stacks' pages),
/// and a batch's pieces are dropped once it is printed.
pub(crate) fn print_files(files: Vec<Vec<Piece>>, fix: ItemFix<'_>) -> syn::Result<Vec<String>> {
    const BATCH_PIECES: usize = 4096;
    let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
    let mut texts = Vec::with_capacity(files.len());
    let mut files = files.into_iter().peekable();
    while files.peek().is_some() {
        let mut batch = Vec::new();
        let mut pieces = 0;
        while let Some(file) = files.next_if(|_| pieces < BATCH_PIECES) {
            pieces += file.len();
            batch.push(file);
        }
        let pieces: Vec<(usize, &Piece)> =
            batch.iter().enumerate().flat_map(|(file, pieces)| pieces.iter().map(move |piece| (file, piece))).collect();
        let printed = crate::parallel::map_in_order(
            &pieces,
            workers,
            |(_, piece)| print_piece(piece, fix),
            || syn::Error::new(Span::call_site(), "printing panicked"),
        )?;
        let first = texts.len();
        texts.resize(first + batch.len(), String::new());
        for ((file, _), text) in pieces.iter().zip(printed) {
            texts[first + file].push_str(&text);
        }
    }
    Ok(texts)
}

fn print_piece(piece: &Piece, fix: ItemFix<'_>) -> syn::Result<String> {
    match piece {
        Piece::Printed(text) => Ok(text.clone()),
        Piece::Item { printed: Some(printed), depth: 0, features, .. } if features.is_empty() => Ok(printed.clone()),
        Piece::Item { source, depth, features, .. } => {
            let mut wrapped = String::with_capacity(source.len() + 32 * depth);
            (0..*depth).for_each(|_| wrapped.push_str("mod __codegen_wrapper { "));
            wrapped.push_str(source);
            (0..*depth).for_each(|_| wrapped.push_str(" }"));
            let mut file = syn::parse_file(&wrapped)?;
            fix(&mut file);
            if !features.is_empty() {
                gate(innermost(&mut file.items, *depth), features);
            }
            Ok(strip_wrappers(&prettyplease::unparse(&file), *depth))
        }
    }
}

/// The items `depth` placeholder modules deep.
fn innermost(items: &mut Vec<syn::Item>, depth: usize) -> &mut Vec<syn::Item> {
    let wrapped = depth > 0 && matches!(items.first(), Some(syn::Item::Mod(syn::ItemMod { content: Some(_), .. })));
    if !wrapped {
        return items;
    }
    match items.first_mut() {
        Some(syn::Item::Mod(syn::ItemMod { content: Some((_, inner)), .. })) => innermost(inner, depth - 1),
        _ => unreachable!("checked above"),
    }
}

/// Puts every item behind `#[cfg(any(feature = ...))]`.
fn gate(items: &mut [syn::Item], features: &[String]) {
    let attribute: syn::Attribute = syn::parse_quote!(#[cfg(any(#(feature = #features),*))]);
    for item in items {
        let attributes = match item {
            syn::Item::Const(i) => &mut i.attrs,
            syn::Item::Enum(i) => &mut i.attrs,
            syn::Item::Fn(i) => &mut i.attrs,
            syn::Item::Impl(i) => &mut i.attrs,
            syn::Item::Macro(i) => &mut i.attrs,
            syn::Item::Mod(i) => &mut i.attrs,
            syn::Item::Static(i) => &mut i.attrs,
            syn::Item::Struct(i) => &mut i.attrs,
            syn::Item::Trait(i) => &mut i.attrs,
            syn::Item::Type(i) => &mut i.attrs,
            syn::Item::Union(i) => &mut i.attrs,
            syn::Item::Use(i) => &mut i.attrs,
            _ => continue,
        };
        attributes.insert(0, attribute.clone());
    }
}

/// What a module prints before and after its items: its attributes, `pub mod name {`, its inner
/// attributes, and the closing brace. Found by printing the module around a placeholder item.
fn frame(head: &[TokenTree], inner_attributes: &[TokenTree], depth: usize) -> syn::Result<(String, String)> {
    let placeholder = Ident::new("__CODEGEN_FRAME", Span::call_site());
    let head: TokenStream = head.iter().cloned().collect();
    let inner: TokenStream = inner_attributes.iter().cloned().collect();
    let tokens = if head.is_empty() {
        quote!(#inner const #placeholder: () = ();)
    } else {
        quote!(#head { #inner const #placeholder: () = (); })
    };
    let text = strip_wrappers(&unparse(wrap(tokens, depth))?, depth);
    let at = text.find(&placeholder.to_string()).expect("the placeholder is printed");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    Ok((text[..line_start].to_string(), text[line_end..].to_string()))
}

fn unparse(tokens: TokenStream) -> syn::Result<String> {
    Ok(prettyplease::unparse(&syn::parse2::<syn::File>(tokens)?))
}

/// `tokens` inside `depth` nested modules, so prettyplease indents and wraps them as deep.
fn wrap(tokens: TokenStream, depth: usize) -> TokenStream {
    (0..depth).fold(tokens, |inner, _| quote!(mod __codegen_wrapper { #inner }))
}

/// The text of a wrapped item without the `depth` wrapper lines around it.
fn strip_wrappers(text: &str, depth: usize) -> String {
    if depth == 0 {
        return text.to_string();
    }
    let lines: Vec<&str> = text.lines().collect();
    let inner = &lines[depth.min(lines.len())..lines.len().saturating_sub(depth)];
    let mut out = inner.join("\n");
    out.push('\n');
    out
}

/// Words that begin an item, for telling where one ends after a `{ ... }` block.
const ITEM_START: [&str; 16] = [
    "pub",
    "impl",
    "struct",
    "enum",
    "fn",
    "mod",
    "use",
    "const",
    "static",
    "type",
    "trait",
    "extern",
    "unsafe",
    "async",
    "macro_rules",
    "union",
];

/// Cuts a sequence of items at their ends ([`ends_item`]). A wrong cut fails to parse, and
/// [`format_file`] then prints the whole file instead.
pub(crate) fn split_items(trees: &[TokenTree]) -> Vec<&[TokenTree]> {
    let mut items = Vec::new();
    let mut start = 0;
    for (i, tree) in trees.iter().enumerate() {
        if ends_item(tree, trees.get(i + 1)) {
            items.push(&trees[start..=i]);
            start = i + 1;
        }
    }
    if start < trees.len() {
        items.push(&trees[start..]);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_ways(tokens: TokenStream) -> (String, String) {
        (format_file(tokens.clone()).unwrap(), whole_file(tokens).unwrap())
    }

    #[test]
    fn items_printed_one_at_a_time_read_as_the_whole_file_does() {
        let long = (0..40).map(|i| Ident::new(&format!("variant_number_{i}"), Span::call_site()));
        let tokens = quote! {
            #![doc = "A client.\n\nWith a second paragraph."]
            #![allow(clippy::all)]
            use std::fmt;
            /// Types.
            #[allow(unused)]
            pub mod types {
                #![allow(missing_docs)]
                pub const NAMES: [&str; 2] = ["a", "b"];
                pub struct Unit;
                pub struct Tuple(pub [u8; 4]);
                #[derive(Debug)]
                pub enum Long { #(#long),* }
                impl From<u8> for Tuple { fn from(b: u8) -> Self { Tuple([b; 4]) } }
                pub const MADE: Tuple = Tuple([0, 1, 2, 3]);
                pub static VALUE: fmt::Result = { Ok(()) };
                pub mod deeper {
                    pub fn deep_function_with_a_long_signature(first_argument: u64, second_argument: u64, third: u64) -> u64 { first_argument + second_argument + third }
                }
                mod empty {}
            }
            impl Client { pub fn new() -> Self { Self {} } }
            pub struct Client {}
        };
        let (items, whole) = both_ways(tokens);
        assert_eq!(items, whole);
        // The long enum and signature wrapped at their depth, so the comparison saw wrapping.
        assert!(whole.contains("            first_argument: u64,\n"), "{whole}");
    }

    #[test]
    fn a_block_inside_an_expression_is_not_an_item_end() {
        let tokens = quote! { const A: usize = S { x: 1 }.len(); struct S { x: usize } };
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        assert_eq!(split_items(&trees).len(), 2);
        let (items, whole) = both_ways(tokens);
        assert_eq!(items, whole);
        assert!(whole.contains("const A: usize = S { x: 1 }.len();"));
    }

    #[test]
    fn tokens_that_are_not_rust_are_an_error() {
        let error = format_file(quote!(pub struct { fn })).unwrap_err();
        assert!(error.to_string().contains("expected identifier"), "{error}");
    }

    #[test]
    fn an_item_repeated_in_a_module_is_printed_once() {
        let text = format_file(quote! {
            pub mod types {
                pub struct TeamLinks { pub html: Option<String> }
                impl TeamLinks { pub fn builder() {} }
                pub struct Team { pub links: Option<TeamLinks> }
                pub struct TeamLinks { pub html: Option<String> }
                impl TeamLinks { pub fn builder() {} }
                pub mod builder { pub struct TeamLinks { html: u8 } }
            }
            pub struct TeamLinks { pub html: Option<String> }
        })
        .unwrap();
        assert_eq!(text.matches("pub struct TeamLinks {").count(), 3, "one per module: {text}");
        assert_eq!(text.matches("impl TeamLinks").count(), 1, "{text}");
        // Same name, other tokens: both stay, for the compiler to report.
        let text = format_file(quote!(
            struct A {
                x: u8,
            }
            struct A {
                x: u16,
            }
        ))
        .unwrap();
        assert_eq!(text.matches("struct A").count(), 2, "{text}");
        let text = whole_file(quote!(
            mod m {
                struct A;
                struct A;
            }
            struct A;
            struct A;
        ))
        .unwrap();
        assert_eq!(text.matches("struct A;").count(), 2, "the usual way too: {text}");
    }

    #[test]
    fn cuts_fall_at_item_ends_only() {
        let trees: Vec<TokenTree> =
            quote!(#[a] pub struct X { a: u8 } const Y: T = T { }; fn f() {} impl X {}).into_iter().collect();
        let cuts: Vec<String> =
            split_items(&trees).iter().map(|i| i.iter().cloned().collect::<TokenStream>().to_string()).collect();
        assert_eq!(cuts, ["# [a] pub struct X { a : u8 }", "const Y : T = T { } ;", "fn f () { }", "impl X { }"]);
    }

    #[test]
    fn the_cut_keeps_the_tokens_of_structs_only() {
        let trees: Vec<TokenTree> = quote! {
            #![allow(unused)]
            pub mod types {
                #[derive(Debug)]
                pub struct A { x: u8 }
                impl A { fn f() {} }
                pub enum E { One }
                pub mod builder { pub struct B { y: u8 } }
            }
        }
        .into_iter()
        .collect();
        let root = cut_file_consuming(trees).unwrap();
        let Some(Entry::Module(types)) = root.entries.first() else { panic!("no types module") };
        let kept: Vec<(String, bool)> = types
            .entries
            .iter()
            .filter_map(|entry| match entry {
                Entry::Item(item) => Some((item.shape.key.clone().unwrap_or_default(), !item.trees.is_empty())),
                Entry::Module(_) => None,
            })
            .collect();
        assert_eq!(kept, [("A".to_string(), true), ("A".to_string(), false), ("E".to_string(), false)]);
        let Some(Entry::Module(builder)) = types.entries.last() else { panic!("no builder module") };
        assert!(matches!(builder.entries.as_slice(), [Entry::Item(b)] if !b.trees.is_empty()));
        assert!(root.header.contains("#![allow(unused)]"), "{}", root.header);
    }

    #[test]
    fn builders_cut_on_two_threads_come_back_in_order_each_once() {
        // Builder `i` is a struct `Bi` and a function every third builder repeats.
        let emit = |i: usize| {
            let name = quote::format_ident!("B{i}");
            let shared = quote::format_ident!("shared_{}", i / 3);
            quote!(pub struct #name { x: u8 } fn #shared() {})
        };
        let no_fix = |_: &mut syn::File| {};
        let cut = SharedCut::new(40, emit, &no_fix);
        let (first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(|| cut.claim_and_cut());
            // Printing stops once the module needs the builders, as the module's thread does.
            cut.stop();
            let here = cut.claim_and_cut();
            (other.join().unwrap(), here)
        });
        let mut claimed: Vec<usize> = first.iter().chain(&second).map(|(index, _)| *index).collect();
        claimed.sort_unstable();
        assert_eq!(claimed, (0..40).collect::<Vec<_>>(), "each builder is claimed once");
        // However the claims fell, put them back from two parts, each out of order.
        let mut all: Claimed = first.into_iter().chain(second).collect();
        all.reverse();
        let (odd, even): (Claimed, Claimed) = all.into_iter().partition(|(index, _)| index % 2 == 1);
        let items = in_order(vec![odd, even]);
        let sources: Vec<String> = items.iter().map(|item| item.source.clone()).collect();
        let mut expected = Vec::new();
        for i in 0..40 {
            expected.push(format!("pub struct B{i} {{ x : u8 }}"));
            if i % 3 == 0 {
                expected.push(format!("fn shared_{} () {{ }}", i / 3));
            }
        }
        assert_eq!(sources, expected, "in the builders' order, a repeated item kept where it first appears");
        for item in items.iter().filter(|item| item.printed.is_some()) {
            let printed = item.printed.as_deref().unwrap_or_default();
            assert!(printed.starts_with("pub struct B") || printed.starts_with("fn shared_"), "{printed}");
        }
    }

    #[test]
    fn files_printed_together_each_get_their_own_pieces_in_order() {
        let item =
            |n: usize| Piece::Item { source: format!("struct S{n};"), depth: 0, features: Vec::new(), printed: None };
        // Enough pieces for more than one batch, with an empty file and files across the seam.
        let sizes = [3, 0, 5000, 2, 4100, 1];
        let mut next = 0;
        let files: Vec<Vec<Piece>> = sizes
            .iter()
            .map(|&size| {
                (0..size)
                    .map(|_| {
                        next += 1;
                        if next % 7 == 0 {
                            Piece::Printed(format!("// text {next}\n"))
                        } else {
                            item(next)
                        }
                    })
                    .collect()
            })
            .collect();
        let expected: Vec<String> = files
            .iter()
            .map(|pieces| pieces.iter().map(|piece| print_piece(piece, &|_| {}).unwrap()).collect())
            .collect();
        let printed = print_files(files, &|_| {}).unwrap();
        assert_eq!(printed.len(), sizes.len());
        assert_eq!(printed, expected);
        assert_eq!(printed[1], "");
        assert!(printed[0].starts_with("struct S1;\n") && printed[5].contains("S9106"), "{}", printed[5]);
    }
}
