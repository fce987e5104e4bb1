"""Attribution frames read off spaCy's dependency parse: cue, source and content.

A `Frame` is one reported-speech (or stated-belief) construction in a sentence:

- `X said (that) A`, `A, X said`, `A, said X`, `X told Y that A`, `X said in a statement A`,
  `X was quoted as saying A`, `X wrote A`: content = the clause complement of the cue verb;
- `X warned/urged/denied/called ...`: content = what the verb takes to its right, without where
  and when it was said (`welcomed the deal in a statement on Tuesday` -> `the deal`);
- `according to X, A`: content = the clause the phrase attaches to, without the phrase;
  `in a CNN poll, A` / `A in the latest polls` likewise, the poll as the source;
  `as X noted, A` / `A, as X reported` likewise, X as the source;
- `X's claim that A`, `allegations that A`: a speech noun's `that` clause (source: its possessor).

A content ends before a closing aside of the narrator's (`, who ...`, `, which ...`, a parenthesis).

The source is the cue's subject; a cue without one (`..., adding that ...`, `X said A and added
B`) takes its governing verb's subject. Frames are found in one pass over the tokens.

The package in four parts, each using the ones before it: `lexicon` (which words are cues, and
the word classes the rules consult), `subjects` (who speaks: a cue's source), `contents` (where
what was said begins and ends) and `frames` (the constructions themselves: `find_frames`).
"""
