// Package report aggregates the anonymous facts of a fiscal year
// (casefile.Facts) into the tables of the annual 実施状況報告書 and of EBPM
// statistics: consultations by topic and by channel per month, records
// shared by receiving department per month, and notifications per channel
// per month, with Japanese labels.
//
// No table may identify a family. Counts from 1 to K−1 (K = 3 by default,
// configurable) are suppressed (秘匿, shown as "X"), and so is at least one
// more cell in every row and column that would otherwise have exactly one
// suppressed cell, totals included, so a suppressed value can never be
// recovered by subtracting the others from a total (complementary
// suppression). Zeros are shown: a structural zero discloses nothing.
package report
