package org.dd4j.dsl

/**
 * Marks the dd4j experiment builders, so that inside `distill { }` a script cannot call
 * `buffer { }` of the enclosing `experiment { }` by accident (Kotlin's type-safe builders).
 */
@DslMarker
@Target(AnnotationTarget.CLASS)
annotation class Dd4jDsl
