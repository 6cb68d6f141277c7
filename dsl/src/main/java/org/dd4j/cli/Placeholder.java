package org.dd4j.cli; final class Placeholder {}
