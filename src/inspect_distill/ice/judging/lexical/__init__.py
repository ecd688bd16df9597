"""ice/judging/lexical"""
